#include "common/error.h"

#include <fmt/format.h>

namespace accompany {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::schema_mismatch:
      return "schema_mismatch";
    case ErrorCode::tampered:
      return "tampered";
    case ErrorCode::permission_denied:
      return "permission_denied";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

std::string Error::describe() const {
  if (field.empty()) return message;
  return fmt::format("{} '{}': {}", field, value, message);
}

Error Error::within(std::string_view context) const {
  Error copy = *this;
  copy.message = fmt::format("{}: {}", context, message);
  return copy;
}

Error invalid(std::string_view field, std::string_view value, std::string_view why) {
  return Error{ErrorCode::invalid_argument, std::string(why), std::string(field), std::string(value)};
}

Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}, {}};
}

ErrorException::ErrorException(Error error) : error_(std::move(error)), what_(error_.describe()) {}

void throw_exception_from_error(const Error& error, const boost::source_location&) {
  throw ErrorException(error);
}

}  // namespace accompany
