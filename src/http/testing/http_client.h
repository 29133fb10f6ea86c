// A small blocking HTTP/1.1 client on Beast for tests: one request per connection, or many on
// one keep-alive connection. Not thread-safe; use one per thread.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "http/message.h"

namespace accompany::testing {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; the last value of each
  std::string body;
  std::string error;  // set when the connection failed before a whole response arrived
  bool cut = false;   // part of a response arrived, then the connection ended
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();
  // Sends on the current keep-alive connection (opening one if needed).
  Reply send(const std::string& method, const std::string& target, const std::string& body = "",
             const HeaderList& headers = {});
  bool connected() const;
  void close();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// One request on a fresh connection.
Reply request(unsigned short port, const std::string& method, const std::string& target, const std::string& body = "",
              const HeaderList& headers = {});

// One request over TLS on a fresh connection (the server's certificate is not verified: tests
// use a throwaway self-signed one).
Reply tls_request(unsigned short port, const std::string& method, const std::string& target,
                  const std::string& body = "", const HeaderList& headers = {});

}  // namespace accompany::testing
