// accompany simulate-calls: plays a day of a national line's calls (contact/call_simulation.h)
// against a server's CTI webhook, speeded up, for demos and load tests; prints how many events
// were sent and acknowledged. A small blocking HTTP/1.1 client on plain Asio: one keep-alive
// connection, reopened when the server closes it (plain HTTP only; put TLS in front of it).
#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "common/time.h"
#include "contact/call_simulation.h"

namespace accompany {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Target {
  std::string host;
  std::string port;
};

std::optional<Target> parse_url(const std::string& url) {
  const std::string prefix = "http://";
  if (!url.starts_with(prefix)) return std::nullopt;
  std::string rest = url.substr(prefix.size());
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) return Target{rest, "80"};
  return Target{rest.substr(0, colon), rest.substr(colon + 1)};
}

class Poster {
 public:
  Poster(Target target, std::string token) : target_(std::move(target)), token_(std::move(token)) {}

  // Posts one body; returns the HTTP status, or 0 when the connection failed.
  int post(const std::string& path, const std::string& body) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!socket_) connect();
        const std::string request = fmt::format(
            "POST {} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n"
            "Content-Length: {}\r\nConnection: keep-alive\r\n\r\n{}",
            path, target_.host, token_, body.size(), body);
        asio::write(*socket_, asio::buffer(request));
        asio::read_until(*socket_, buffer_, "\r\n\r\n");
        std::string head(asio::buffers_begin(buffer_.data()), asio::buffers_end(buffer_.data()));
        head.resize(head.find("\r\n\r\n") + 4);
        buffer_.consume(head.size());
        const int status = std::stoi(head.substr(9, 3));
        size_t length = 0;
        std::string lower = head;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (auto at = lower.find("content-length:"); at != std::string::npos) length = std::stoul(lower.substr(at + 15));
        if (buffer_.size() < length) asio::read(*socket_, buffer_, asio::transfer_exactly(length - buffer_.size()));
        buffer_.consume(length);
        if (lower.find("connection: close") != std::string::npos) socket_.reset();
        return status;
      } catch (const std::exception&) {
        socket_.reset();
        buffer_.consume(buffer_.size());
      }
    }
    return 0;
  }

 private:
  void connect() {
    tcp::resolver resolver(io_);
    socket_.emplace(io_);
    asio::connect(*socket_, resolver.resolve(target_.host, target_.port));
    socket_->set_option(tcp::no_delay(true));
  }

  Target target_;
  std::string token_;
  asio::io_context io_;
  std::optional<tcp::socket> socket_;
  asio::streambuf buffer_;
};

std::string now_text() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::string text = format_timestamp(std::chrono::floor<std::chrono::seconds>(now));  // ...:SSZ
  text.insert(text.size() - 1, fmt::format(".{:03d}", ms));
  return text;
}

}  // namespace

void add_simulate_calls_command(CLI::App& app, int& exit_code) {
  struct Options {
    double per_day = 7000;
    double speedup = 100;
    double duration = 60;
    double start_hour = -1;
    int agents = 60;
    std::uint64_t seed = 1;
    std::string url = "http://127.0.0.1:8080";
    std::string token;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "simulate-calls",
      "Drive a server's CTI webhook (POST /api/cti/events) with a day of simulated calls: a daily curve, a category "
      "mix with safety reports first, waits, abandonments and handle times; prints events sent and acknowledged");
  command->add_option("--per-day", options->per_day, "Calls a day on the simulated line (default 7000)");
  command->add_option("--speedup", options->speedup, "Simulated seconds per real second (default 100)");
  command->add_option("--duration", options->duration, "Real seconds to run (default 60)");
  command->add_option("--start-hour", options->start_hour, "UTC hour the simulated day starts at (default: now)");
  command->add_option("--agents", options->agents, "Agents the calls ring: sim.agent.1 .. sim.agent.N (default 60)");
  command->add_option("--seed", options->seed, "Random seed; the same seed plans the same calls");
  command->add_option("--url", options->url, "The server (default http://127.0.0.1:8080)");
  command->add_option("--token", options->token, "A telephony service account's API token (or $ACCOMPANY_CTI_TOKEN)");
  command->callback([&exit_code, options] {
    if (options->token.empty())
      if (const char* token = std::getenv("ACCOMPANY_CTI_TOKEN")) options->token = token;
    if (options->token.empty()) {
      exit_code = report_failure("give --token (a telephony service account's API token) or set ACCOMPANY_CTI_TOKEN");
      return;
    }
    auto target = parse_url(options->url);
    if (!target) {
      exit_code = report_failure(fmt::format("--url {}: use http://host:port", options->url));
      return;
    }
    if (!(options->per_day > 0) || !(options->speedup > 0) || !(options->duration > 0) || options->agents < 1) {
      exit_code = report_failure("--per-day, --speedup, --duration and --agents must be positive");
      return;
    }
    SimulationOptions plan;
    plan.calls_per_day = options->per_day;
    plan.seconds = options->duration * options->speedup;
    plan.agents = options->agents;
    plan.seed = options->seed;
    if (options->start_hour >= 0) {
      plan.start_hour = options->start_hour;
    } else {
      const auto now = std::chrono::system_clock::now();
      plan.start_hour = static_cast<double>(
          (std::chrono::floor<std::chrono::hours>(now) - std::chrono::floor<std::chrono::days>(now)).count());
    }
    const auto events = plan_calls(plan);
    Poster poster(*target, options->token);
    std::int64_t sent = 0, accepted = 0, duplicates = 0, refused = 0, failed = 0;
    double worst_lag = 0;
    const auto started = std::chrono::steady_clock::now();
    for (const auto& event : events) {
      const auto due = started + std::chrono::duration<double>(event.at / options->speedup);
      const auto now = std::chrono::steady_clock::now();
      if (due > now)
        std::this_thread::sleep_until(due);
      else
        worst_lag = std::max(worst_lag, std::chrono::duration<double>(now - due).count());
      const int status = poster.post("/api/cti/events", boost::json::serialize(cti_body(event, now_text())));
      ++sent;
      if (status == 201)
        ++accepted;
      else if (status == 200)
        ++duplicates;
      else if (status == 0)
        ++failed;
      else
        ++refused;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::int64_t calls = 0;
    for (const auto& event : events) calls += event.kind == "queued" ? 1 : 0;
    fmt::print(
        "simulated {} calls ({:.0f}/day, x{} speed, peak hour {:.0f} calls) in {:.1f} s: {} events sent, {} "
        "acknowledged, {} duplicates, {} refused, {} failed; worst lag behind schedule {:.3f} s\n",
        calls, options->per_day, options->speedup, peak_hour_calls(options->per_day), seconds, sent, accepted,
        duplicates, refused, failed, worst_lag);
    exit_code = (refused == 0 && failed == 0) ? 0 : 1;
  });
}

}  // namespace accompany
