// libFuzzer target for JSON request decoding: the input is a request body as the API's
// json_body parses it (Boost.JSON), then decoded by every *_from_json the routes use.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/records_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace accompany;
  boost::system::error_code error;
  const auto body = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), error);
  if (error) return 0;
  const Date today = std::chrono::year{2024} / std::chrono::June / 1;
  (void)child_from_json(body, today);
  (void)address_from_json(body, 1);
  (void)contact_from_json(body, std::chrono::sys_days(today) + std::chrono::hours(10));
  if (body.is_object()) (void)string_member(body.as_object(), "reason", false);
  return 0;
}
