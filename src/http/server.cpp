// The one translation unit that compiles Beast's server machinery (it is heavy; keep it here).
#include "http/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace accompany {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// The edge between Beast and the handlers' own request and response types.
Request to_request(const http::request<http::string_body>& in, const std::string& client_address) {
  Request request;
  request.method = std::string(in.method_string());
  if (auto set = request.set_target(in.target()); !set) request.path = "\x01";  // matches no route: 404
  request.headers.reserve(16);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = in.body();
  request.client_address = client_address;
  return request;
}

http::response<http::string_body> to_beast(Response&& response, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(response.status), version};
  out.set(http::field::content_type, response.content_type);
  out.set(http::field::cache_control, "no-store");
  out.set("X-Content-Type-Options", "nosniff");
  for (auto& [name, value] : response.headers) out.insert(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace

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
    std::function<void()> interrupt;  // set while streaming events: wakes the stream to end it
  };
  std::mutex sessions_mutex;
  std::list<Session> sessions;        // guarded by sessions_mutex
  std::uint64_t next_session_id = 0;  // guarded by sessions_mutex

  // Runs on the session's strand, so the session cannot end while this looks at it.
  void cancel_if_idle(std::uint64_t id) {
    std::lock_guard lock(sessions_mutex);
    for (auto& session : sessions) {
      if (session.id != id) continue;
      if (!session.busy) session.stream->cancel();
      if (session.interrupt) session.interrupt();
    }
  }

  State(ServerOptions opts, Router r) : options(std::move(opts)), router(std::move(r)) {}

  std::optional<asio::ssl::context> tls;  // set by listen() when a certificate is configured

  asio::awaitable<void> serve(tcp::socket socket);
  template <class Stream>
  asio::awaitable<void> exchange(Stream& stream, beast::tcp_stream& tcp, std::string client_address, bool secure);
  template <class Stream>
  asio::awaitable<void> stream_events(Stream& stream, beast::tcp_stream& tcp, Response response, unsigned version,
                                      std::list<Session>::iterator self);
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

// Reads requests and writes responses on one connection, plain or TLS, until it ends.
template <class Stream>
asio::awaitable<void> Server::State::exchange(Stream& stream, beast::tcp_stream& tcp, std::string client_address,
                                              bool secure) {
  beast::flat_buffer buffer;
  std::list<Session>::iterator self;
  {
    std::lock_guard lock(sessions_mutex);
    self = sessions.insert(sessions.end(), Session{next_session_id++, &tcp, false, {}});
  }
  for (;;) {
    if (stopping) break;
    // A fresh parser per request, with limits set before reading (Beast's defaults are larger).
    std::optional<http::request_parser<http::string_body>> parser;
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser->body_limit(options.body_limit);
    // Beast's expiry is a deadline for every operation after it: reset it before each one.
    tcp.expires_after(options.io_timeout);
    auto [read_error, bytes] = co_await http::async_read(stream, buffer, *parser, asio::as_tuple(asio::use_awaitable));
    (void)bytes;
    if (read_error) {
      if (read_error == http::error::body_limit || read_error == http::error::header_limit) {
        auto response =
            to_beast(problem_response(read_error == http::error::body_limit ? 413 : 431, "Request too large",
                                      "The request is larger than this server accepts."),
                     11, false);
        tcp.expires_after(options.io_timeout);
        co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      } else if (read_error.category() == beast::error_code(http::error::bad_method).category() &&
                 read_error != http::error::end_of_stream && read_error != http::error::partial_message) {
        auto response =
            to_beast(problem_response(400, "Bad request", "The request is not well-formed HTTP."), 11, false);
        tcp.expires_after(options.io_timeout);
        co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      }
      // end_of_stream, timeouts and cancellation all end the session (beast#2637).
      break;
    }
    {
      std::lock_guard lock(sessions_mutex);
      self->busy = true;
    }
    auto& message = parser->get();
    const unsigned version = message.version();
    bool keep_alive = message.keep_alive();
    Request request = to_request(message, client_address);
    request.secure = secure;
    // The handler runs on the worker pool; the coroutine resumes on this connection's strand.
    Response handled = co_await asio::co_spawn(
        workers,
        [this, &request]() -> asio::awaitable<Response> {
          try {
            co_return router.dispatch(request);
          } catch (const std::exception& e) {
            spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
            co_return problem_response(500, "Internal error",
                                       "The server failed to handle this request; it has been logged.");
          }
        },
        asio::use_awaitable);
    if (handled.events) {
      // The connection now belongs to the event stream until it ends.
      co_await stream_events(stream, tcp, std::move(handled), version, self);
      break;
    }
    keep_alive = keep_alive && !stopping;
    auto response = to_beast(std::move(handled), version, keep_alive);
    tcp.expires_after(options.io_timeout);
    auto [write_error, written] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    (void)written;
    {
      std::lock_guard lock(sessions_mutex);
      self->busy = false;
    }
    if (write_error || !keep_alive) break;
  }
  std::lock_guard lock(sessions_mutex);
  sessions.erase(self);
  if (stopping && sessions.empty()) asio::post(io, [this] { grace_timer.cancel(); });
}

// Writes a server-sent events response: the head, then each batch of queued events as one
// chunk, a comment every 15 s so proxies and dead peers are noticed, until the client goes,
// the stream closes or the server stops.
template <class Stream>
asio::awaitable<void> Server::State::stream_events(Stream& stream, beast::tcp_stream& tcp, Response response,
                                                   unsigned version, std::list<Session>::iterator self) {
  auto events = response.events;
  http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
  head.set(http::field::content_type, "text/event-stream");
  head.set(http::field::cache_control, "no-store");
  head.set("X-Content-Type-Options", "nosniff");
  head.set("X-Accel-Buffering", "no");  // a reverse proxy must pass events on at once
  for (auto& [name, value] : response.headers) head.insert(name, value);
  head.keep_alive(false);
  head.chunked(true);
  http::response_serializer<http::empty_body> serializer{head};
  tcp.expires_after(options.io_timeout);
  auto [head_error, head_bytes] =
      co_await http::async_write_header(stream, serializer, asio::as_tuple(asio::use_awaitable));
  (void)head_bytes;
  // The timer lives on this connection's strand; a publisher on another thread wakes it by
  // posting a cancel there, which cannot run before the wait below has begun.
  auto wake = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
  auto interrupt = [wake] { asio::post(wake->get_executor(), [wake] { wake->cancel(); }); };
  events->on_ready(interrupt);
  {
    std::lock_guard lock(sessions_mutex);
    self->interrupt = interrupt;
  }
  std::string pending = head_error ? std::string() : std::string(": stream open\n\n");
  while (!head_error) {
    if (pending.empty()) pending = events->take();
    if (pending.empty()) {
      if (stopping || events->closed()) break;
      wake->expires_after(std::chrono::seconds(15));
      auto [waited] = co_await wake->async_wait(asio::as_tuple(asio::use_awaitable));
      if (waited) continue;  // woken: something was queued, the stream closed, or shutdown
      pending = ": keep-alive\n\n";
    }
    tcp.expires_after(options.io_timeout);
    auto [write_error, written] = co_await asio::async_write(stream, http::make_chunk(asio::buffer(pending)),
                                                            asio::as_tuple(asio::use_awaitable));
    (void)written;
    if (write_error) break;
    pending.clear();
  }
  events->on_ready(nullptr);
  events->close();
  {
    std::lock_guard lock(sessions_mutex);
    self->interrupt = nullptr;
  }
  if (!head_error) {
    tcp.expires_after(options.io_timeout);
    co_await asio::async_write(stream, http::make_chunk_last(), asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> Server::State::serve(tcp::socket socket) {
  beast::error_code endpoint_error;
  const auto remote = socket.remote_endpoint(endpoint_error);
  std::string client_address = endpoint_error ? std::string() : remote.address().to_string();
  if (!tls) {
    beast::tcp_stream stream(std::move(socket));
    co_await exchange(stream, stream, std::move(client_address), false);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
  stream.next_layer().expires_after(options.io_timeout);
  auto [handshake_error] =
      co_await stream.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  if (handshake_error) co_return;  // a client that does not speak TLS, or too slowly
  co_await exchange(stream, stream.next_layer(), std::move(client_address), true);
  stream.next_layer().expires_after(options.io_timeout);
  co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
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
  const auto& options = state_->options;
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty())
      return invalid("--tls-cert", options.tls_cert_file, "give both --tls-cert and --tls-key, or neither");
    auto& context = state_->tls.emplace(asio::ssl::context::tls_server);
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    context.use_certificate_chain_file(options.tls_cert_file, error);
    if (error)
      return invalid("--tls-cert", options.tls_cert_file, "cannot read a PEM certificate chain: " + error.message());
    context.use_private_key_file(options.tls_key_file, asio::ssl::context::pem, error);
    if (error) return invalid("--tls-key", options.tls_key_file, "cannot read a PEM private key: " + error.message());
  }
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
