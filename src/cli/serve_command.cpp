// accompany serve: the HTTP server on the case store.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "cli/commands.h"
#include "http/api.h"
#include "http/healthz.h"
#include "http/server.h"
#include "http/static_files.h"
#include "store/store.h"

namespace accompany {
namespace {

struct ServeOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  unsigned threads = 0;
  unsigned workers = 0;
  size_t body_limit_kb = 1024;
  size_t header_limit_kb = 16;
  unsigned io_timeout_seconds = 30;
  unsigned session_cache_seconds = static_cast<unsigned>(SessionCache::kDefaultTtl.count());
  std::string web_root;
  std::string tls_cert;
  std::string tls_key;
};

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand("serve", "Serve the web UI and JSON API (stops cleanly on SIGTERM or Ctrl-C)");
  command->add_option("--address", options->address, "Address to listen on")->capture_default_str();
  command->add_option("--port", options->port, "Port to listen on (0 picks a free port)")->capture_default_str();
  command->add_option("--threads", options->threads, "I/O and handler threads each (default: one per core)");
  command->add_option("--workers", options->workers,
                      "Handler threads (default: 8 per core; handlers mostly wait for the database and for the "
                      "audit group commit, which batches more reads when more wait)");
  command->add_option("--body-limit-kb", options->body_limit_kb, "Largest request body accepted, in KiB")
      ->capture_default_str();
  command->add_option("--header-limit-kb", options->header_limit_kb, "Largest request header block accepted, in KiB")
      ->capture_default_str();
  command
      ->add_option("--io-timeout", options->io_timeout_seconds,
                   "Seconds a client has to send each request or receive each response")
      ->capture_default_str();
  command
      ->add_option("--session-cache-seconds", options->session_cache_seconds,
                   "How long a looked-up session is trusted without reading the database again; a session ended "
                   "by another process (`accompany user disable`) stops within this time. 0 turns the cache off")
      ->capture_default_str();
  command->add_option("--web-root", options->web_root,
                      "Folder of the built web UI (default: $ACCOMPANY_WEB_ROOT, else ./web/dist)");
  command->add_option("--tls-cert", options->tls_cert, "PEM certificate chain; with --tls-key, serve HTTPS only")
      ->check(CLI::ExistingFile);
  command->add_option("--tls-key", options->tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  command->callback([&global, &exit_code, options] {
    SystemClock clock;
    auto store = Store::open(resolve_database_location(global.database), clock);
    if (!store) {
      exit_code = report_failure(store.error().describe());
      return;
    }
    Router router;
    add_health_routes(router, **store);
    Accounts accounts(**store, ThrottleLimits{}, Accounts::kDefaultSessionLifetime,
                      std::chrono::seconds(options->session_cache_seconds));
    Metrics metrics;
    ApiServices services{**store, accounts, metrics, !options->tls_cert.empty()};
    add_api_routes(router, services);
    const char* env_root = std::getenv("ACCOMPANY_WEB_ROOT");
    const std::string web_root = !options->web_root.empty() ? options->web_root
                                 : (env_root && *env_root)  ? env_root
                                                            : "web/dist";
    if (auto files = StaticFiles::open(web_root)) {
      router.set_fallback([files = *files](const Request& request) { return files.serve(request); });
    } else if (!options->web_root.empty()) {
      exit_code = report_failure(files.error().describe());
      return;
    } else {
      spdlog::warn("{}; serving the API only", files.error().describe());
    }
    ServerOptions server_options;
    server_options.address = options->address;
    server_options.port = options->port;
    server_options.threads = options->threads;
    server_options.workers =
        options->workers ? options->workers : 8 * std::max(1u, options->threads ? options->threads : std::thread::hardware_concurrency());
    server_options.body_limit = options->body_limit_kb * 1024;
    server_options.header_limit = options->header_limit_kb * 1024;
    server_options.io_timeout = std::chrono::seconds(options->io_timeout_seconds);
    server_options.tls_cert_file = options->tls_cert;
    server_options.tls_key_file = options->tls_key;
    Server server(server_options, std::move(router));
    auto port = server.listen();
    if (!port) {
      exit_code = report_failure(port.error().describe());
      return;
    }
    spdlog::info("serving {} store {} on {}://{}:{}", to_string((*store)->dialect()), (*store)->describe(),
                 options->tls_cert.empty() ? "http" : "https", options->address, *port);
    server.run();
    spdlog::info("stopped; audit group commit: {} reads' entries in {} transactions",
                 (*store)->group_commit_entries(), (*store)->group_commit_transactions());
  });
}

}  // namespace accompany
