// Error and Result: how every module reports an expected failure (STYLE.md: errors are values).
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

namespace accompany {

enum class ErrorCode {
  invalid_argument,   // input that does not pass validation (a field, a row, a flag)
  not_found,          // the record or file asked for does not exist
  conflict,           // the write would break a uniqueness or consistency rule
  schema_mismatch,    // the database schema is older or newer than this build
  tampered,           // the audit chain or an audited record does not verify
  permission_denied,  // the actor may not do this
  unavailable,        // a server, file or database could not be reached
  internal,           // a bug or an impossible state; the message says where
};

std::string_view to_string(ErrorCode code);

// One failure, written for the person who has to fix it: `field` and `value` name what was
// wrong (empty when not about one field), `message` says why and, where possible, what to do.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string field;
  std::string value;

  // "birth_date '2031-02-30': not a calendar date" — or just the message when no field.
  std::string describe() const;
  // Prefixes the context (a file and line, a record) to the message, keeping the rest.
  Error within(std::string_view context) const;
};

Error invalid(std::string_view field, std::string_view value, std::string_view why);
Error make_error(ErrorCode code, std::string message);

// Lets boost::system::result<T, Error>::value() throw an exception carrying the message.
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

using Status = boost::system::result<void, Error>;

// The exception thrown when a Result holding an error is unwrapped with value().
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error error);
  const char* what() const noexcept override { return what_.c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  std::string what_;
};

// The same result, with `context` prefixed to its error message when it failed.
template <class T>
boost::system::result<T, Error> within(boost::system::result<T, Error> result, std::string_view context) {
  if (!result) return result.error().within(context);
  return result;
}

}  // namespace accompany

// Propagates an error from an expression returning a Result; yields the value otherwise.
#define ACCOMPANY_TRY(var, expr)                    \
  auto var##_result_ = (expr);                      \
  if (!var##_result_) return var##_result_.error(); \
  auto var = std::move(*var##_result_)

#define ACCOMPANY_CHECK(expr)                                    \
  do {                                                           \
    if (auto status_ = (expr); !status_) return status_.error(); \
  } while (0)
