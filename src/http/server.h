// The HTTP server: Boost.Beast on Asio with C++20 coroutines. Each connection is one coroutine
// on its own strand; handlers run on a separate worker pool so that a slow database call
// never blocks an I/O thread. SIGTERM/SIGINT stop accepting, let in-flight requests finish,
// then `run` returns. Thread-safe to construct and run once; `request_stop` may be called
// from any thread.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/error.h"

namespace accompany {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Exact method + path to handler. Later routes with parameters extend this table, never an
// if-chain in the server.
class Router {
 public:
  void add(boost::beast::http::verb method, std::string path, HttpHandler handler);
  // GET and HEAD of any path no route matches (outside /api/) go here: the web UI's files.
  void set_fallback(HttpHandler handler);
  // 404 for an unknown path, 405 (with Allow) for a known path and another method.
  HttpResponse route(const HttpRequest& request) const;

 private:
  std::map<std::string, std::map<boost::beast::http::verb, HttpHandler>> routes_;
  HttpHandler fallback_;
};

// A JSON response with the given status; `body` must already be serialized JSON.
HttpResponse json_response(const HttpRequest& request, boost::beast::http::status status, std::string body);
// An RFC 9457 problem+json response whose detail is written for the person reading it.
HttpResponse problem_response(const HttpRequest& request, boost::beast::http::status status, std::string_view title,
                              std::string_view detail);

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;               // 0 picks a free port (tests)
  unsigned threads = 0;                     // I/O threads; 0 means one per core
  unsigned workers = 0;                     // handler threads; 0 means one per core
  std::chrono::seconds io_timeout{30};      // for each read and each write, reset every time
  std::chrono::seconds shutdown_grace{10};  // in-flight requests get this long after SIGTERM
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1024 * 1024;
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (useful with port 0).
  Result<unsigned short> listen();
  // Serves until SIGTERM/SIGINT or request_stop, then drains and returns.
  void run();
  void request_stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace accompany
