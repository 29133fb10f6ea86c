#include "http/testing/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

namespace accompany::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpClient::State {
  unsigned short port;
  asio::io_context io;
  std::optional<tcp::socket> socket;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(unsigned short port) : state_(std::make_unique<State>()) {
  state_->port = port;
}
HttpClient::~HttpClient() {
  close();
}

bool HttpClient::connected() const {
  return state_->socket.has_value();
}

void HttpClient::close() {
  if (state_->socket) {
    beast::error_code ignored;
    state_->socket->shutdown(tcp::socket::shutdown_both, ignored);
    state_->socket->close(ignored);
    state_->socket.reset();
  }
  state_->buffer.clear();
}

Reply HttpClient::send(const std::string& method, const std::string& target, const std::string& body,
                       const HeaderList& headers) {
  Reply reply;
  beast::error_code error;
  if (!state_->socket) {
    state_->socket.emplace(state_->io);
    state_->socket->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), state_->port), error);
    if (error) {
      reply.error = "connect: " + error.message();
      close();
      return reply;
    }
  }
  http::request<http::string_body> out{http::string_to_verb(method), target, 11};
  out.set(http::field::host, "localhost");
  for (const auto& [name, value] : headers) out.set(name, value);
  out.body() = body;
  out.prepare_payload();
  http::write(*state_->socket, out, error);
  if (error) {
    reply.error = "write: " + error.message();
    close();
    return reply;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(*state_->socket, state_->buffer, parser, error);
  if (error) {
    reply.error = "read: " + error.message();
    reply.cut = error == http::error::partial_message || parser.got_some();
    close();
    return reply;
  }
  auto& in = parser.get();
  reply.status = static_cast<int>(in.result_int());
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = in.body();
  if (!in.keep_alive()) close();
  return reply;
}

Reply request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
              const HeaderList& headers) {
  HttpClient client(port);
  return client.send(method, target, body, headers);
}

Reply tls_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                  const HeaderList& headers) {
  Reply reply;
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_verify_mode(asio::ssl::verify_none);
  beast::ssl_stream<tcp::socket> stream(io, context);
  beast::error_code error;
  stream.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), error);
  if (!error) stream.handshake(asio::ssl::stream_base::client, error);
  if (error) {
    reply.error = "tls: " + error.message();
    return reply;
  }
  http::request<http::string_body> out{http::string_to_verb(method), target, 11};
  out.set(http::field::host, "localhost");
  for (const auto& [name, value] : headers) out.set(name, value);
  out.body() = body;
  out.prepare_payload();
  http::write(stream, out, error);
  beast::flat_buffer buffer;
  http::response<http::string_body> in;
  if (!error) http::read(stream, buffer, in, error);
  if (error) {
    reply.error = "tls exchange: " + error.message();
    return reply;
  }
  reply.status = static_cast<int>(in.result_int());
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = in.body();
  stream.shutdown(error);
  return reply;
}

}  // namespace accompany::testing
