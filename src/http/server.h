// The HTTP server: Boost.Beast on Asio with C++20 coroutines. Each connection is one coroutine
// on its own strand; handlers run on a separate worker pool so that a slow database call
// never blocks an I/O thread. SIGTERM/SIGINT stop accepting, let in-flight requests finish,
// then `run` returns. Thread-safe to construct and run once; `request_stop` may be called
// from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/error.h"
#include "http/router.h"

namespace accompany {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;               // 0 picks a free port (tests)
  unsigned threads = 0;                     // I/O threads; 0 means one per core
  unsigned workers = 0;                     // handler threads; 0 means one per core
  std::chrono::seconds io_timeout{30};      // for each read and each write, reset every time
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long after SIGTERM
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1024 * 1024;
  std::string tls_cert_file;  // PEM chain; with tls_key_file, the server speaks only HTTPS
  std::string tls_key_file;
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate if configured, binds the listening socket; returns the port
  // (useful with port 0).
  Result<unsigned short> listen();
  // Serves until SIGTERM/SIGINT or request_stop, then drains and returns.
  void run();
  void request_stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace accompany
