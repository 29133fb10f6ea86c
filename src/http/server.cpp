// The one translation unit that compiles Beast's server machinery (it is heavy; keep it here).
#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace accompany {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

void Router::add(http::verb method, std::string path, HttpHandler handler) {
  routes_[std::move(path)][method] = std::move(handler);
}

void Router::set_fallback(HttpHandler handler) {
  fallback_ = std::move(handler);
}

HttpResponse Router::route(const HttpRequest& request) const {
  std::string_view target = request.target();
  const std::string path(target.substr(0, target.find('?')));
  auto found = routes_.find(path);
  const bool readable = request.method() == http::verb::get || request.method() == http::verb::head;
  if (found == routes_.end() && fallback_ && readable && !path.starts_with("/api/")) return fallback_(request);
  if (found == routes_.end())
    return problem_response(request, http::status::not_found, "Not found",
                            fmt::format("There is no page at {}.", path));
  auto handler = found->second.find(request.method());
  if (handler == found->second.end()) {
    std::string allow;
    for (const auto& [method, h] : found->second)
      allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(method));
    auto response = problem_response(request, http::status::method_not_allowed, "Method not allowed",
                                     fmt::format("{} accepts {} only.", path, allow));
    response.set(http::field::allow, allow);
    return response;
  }
  return handler->second(request);
}

HttpResponse json_response(const HttpRequest& request, http::status status, std::string body) {
  HttpResponse response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

HttpResponse problem_response(const HttpRequest& request, http::status status, std::string_view title,
                              std::string_view detail) {
  boost::json::object problem{
      {"type", "about:blank"}, {"title", title}, {"status", static_cast<int>(status)}, {"detail", detail}};
  auto response = json_response(request, status, boost::json::serialize(problem));
  response.set(http::field::content_type, "application/problem+json");
  return response;
}

struct Server::State {
  ServerOptions options;
  Router router;
  asio::io_context io{static_cast<int>(options.threads)};
  asio::thread_pool workers{options.workers};
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io, SIGINT, SIGTERM};
  asio::steady_timer grace_timer{io};  // after SIGTERM: the end of the grace period
  std::atomic<bool> stopping{false};

  // Sessions waiting for their next request, so shutdown can cancel exactly those reads.
  struct Session {
    std::uint64_t id;
    beast::tcp_stream* stream;
    bool busy;
  };
  std::mutex sessions_mutex;
  std::list<Session> sessions;        // guarded by sessions_mutex
  std::uint64_t next_session_id = 0;  // guarded by sessions_mutex

  // Runs on the session's strand, so the session cannot end while this looks at it.
  void cancel_if_idle(std::uint64_t id) {
    std::lock_guard lock(sessions_mutex);
    for (auto& session : sessions)
      if (session.id == id && !session.busy) session.stream->cancel();
  }

  State(ServerOptions opts, Router r) : options(std::move(opts)), router(std::move(r)) {}

  asio::awaitable<void> serve(tcp::socket socket);
  asio::awaitable<void> accept_loop();
  void begin_shutdown();
};

namespace {

unsigned or_cores(unsigned value) {
  return value ? value : std::max(1u, std::thread::hardware_concurrency());
}

void log_exception(std::exception_ptr error, std::string_view where) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", where, e.what());
  }
}

}  // namespace

asio::awaitable<void> Server::State::serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  std::list<Session>::iterator self;
  {
    std::lock_guard lock(sessions_mutex);
    self = sessions.insert(sessions.end(), Session{next_session_id++, &stream, false});
  }
  for (;;) {
    if (stopping) break;
    // A fresh parser per request, with limits set before reading (Beast's defaults are larger).
    std::optional<http::request_parser<http::string_body>> parser;
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser->body_limit(options.body_limit);
    // Beast's expiry is a deadline for every operation after it: reset it before each one.
    stream.expires_after(options.io_timeout);
    auto [read_error, bytes] = co_await http::async_read(stream, buffer, *parser, asio::as_tuple(asio::use_awaitable));
    (void)bytes;
    if (read_error) {
      if (read_error == http::error::body_limit || read_error == http::error::header_limit) {
        HttpRequest request;
        request.version(11);
        auto response =
            problem_response(request,
                             read_error == http::error::body_limit ? http::status::payload_too_large
                                                                   : http::status::request_header_fields_too_large,
                             "Request too large", "The request is larger than this server accepts.");
        response.keep_alive(false);
        stream.expires_after(options.io_timeout);
        co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      } else if (read_error.category() == beast::error_code(http::error::bad_method).category() &&
                 read_error != http::error::end_of_stream && read_error != http::error::partial_message) {
        HttpRequest request;
        request.version(11);
        auto response =
            problem_response(request, http::status::bad_request, "Bad request", "The request is not well-formed HTTP.");
        response.keep_alive(false);
        stream.expires_after(options.io_timeout);
        co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      }
      // end_of_stream, timeouts and cancellation all end the session (beast#2637).
      break;
    }
    {
      std::lock_guard lock(sessions_mutex);
      self->busy = true;
    }
    HttpRequest request = parser->release();
    // The handler runs on the worker pool; the coroutine resumes on this connection's strand.
    HttpResponse response = co_await asio::co_spawn(
        workers,
        [this, &request]() -> asio::awaitable<HttpResponse> {
          try {
            co_return router.route(request);
          } catch (const std::exception& e) {
            spdlog::error("{} {} failed: {}", std::string(http::to_string(request.method())),
                          std::string(request.target()), e.what());
            co_return problem_response(request, http::status::internal_server_error, "Internal error",
                                       "The server failed to handle this request; it has been logged.");
          }
        },
        asio::use_awaitable);
    const bool keep_alive = response.keep_alive() && !stopping;
    response.keep_alive(keep_alive);
    stream.expires_after(options.io_timeout);
    auto [write_error, written] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    (void)written;
    {
      std::lock_guard lock(sessions_mutex);
      self->busy = false;
    }
    if (write_error || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::lock_guard lock(sessions_mutex);
  sessions.erase(self);
  if (stopping && sessions.empty()) asio::post(io, [this] { grace_timer.cancel(); });
}

asio::awaitable<void> Server::State::accept_loop() {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
    if (error) {
      if (stopping || error == asio::error::operation_aborted) co_return;
      spdlog::warn("accept failed: {}", error.message());
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve(std::move(socket)), [](std::exception_ptr e) { log_exception(e, "connection"); });
  }
}

void Server::State::begin_shutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("shutting down: no new connections; finishing requests in flight");
  asio::post(io, [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel();
    std::lock_guard lock(sessions_mutex);
    for (auto& session : sessions)
      asio::post(session.stream->get_executor(), [this, id = session.id] { cancel_if_idle(id); });
    if (sessions.empty()) return;
    // Requests still running get the grace period; whatever is left then is cut.
    grace_timer.expires_after(options.shutdown_grace);
    grace_timer.async_wait([this](const beast::error_code& error) {
      if (!error) {
        spdlog::warn("shutdown grace period over; closing remaining connections");
        io.stop();
      }
    });
  });
}

Server::Server(ServerOptions options, Router router)
    : state_(std::make_unique<State>(
          [&] {
            options.threads = or_cores(options.threads);
            options.workers = or_cores(options.workers);
            return options;
          }(),
          std::move(router))) {}

Server::~Server() {
  state_->workers.join();
}

Result<unsigned short> Server::listen() {
  beast::error_code error;
  auto address = asio::ip::make_address(state_->options.address, error);
  if (error) return invalid("address", state_->options.address, "not an IP address");
  tcp::endpoint endpoint{address, state_->options.port};
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error)
    return make_error(ErrorCode::unavailable, fmt::format("cannot listen on {}:{}: {}", state_->options.address,
                                                          state_->options.port, error.message()));
  return acceptor.local_endpoint().port();
}

void Server::run() {
  auto& state = *state_;
  state.signals.async_wait([&state](const beast::error_code& error, int) {
    if (!error) state.begin_shutdown();
  });
  asio::co_spawn(state.io, state.accept_loop(), [](std::exception_ptr e) { log_exception(e, "listener"); });
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < state.options.threads; ++i) threads.emplace_back([&state] { state.io.run(); });
  state.io.run();
  for (auto& thread : threads) thread.join();
  state.stopping = true;
}

void Server::request_stop() {
  state_->begin_shutdown();
}

}  // namespace accompany
