#include "http/static_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace accompany {
namespace {

namespace fs = std::filesystem;

std::string content_type(const fs::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".json") return "application/json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

Response file_response(const Request& request, const fs::path& file, bool immutable) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  Response response;
  response.content_type = content_type(file);
  // Vite puts a content hash in asset names, so they never change; index.html always may.
  response.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (request.method != "HEAD") response.body = body.str();
  return response;
}

Response not_found(std::string_view path) {
  return problem_response(404, "Not found", fmt::format("There is no file at {}.", path));
}

}  // namespace

Result<StaticFiles> StaticFiles::open(const fs::path& root) {
  std::error_code error;
  auto canonical = fs::canonical(root, error);
  if (error || !fs::exists(canonical / "index.html"))
    return make_error(ErrorCode::not_found,
                      fmt::format("no built web UI at {} (index.html missing); run `make build`", root.string()));
  return StaticFiles(canonical);
}

Response StaticFiles::serve(const Request& request) const {
  const std::string& path = request.path;  // already percent-decoded
  if (path.find('\0') != std::string::npos || path.find("..") != std::string::npos) return not_found("that address");
  std::error_code error;
  const fs::path wanted = fs::weakly_canonical(root_ / fs::path(path).relative_path(), error);
  const auto [root_end, ignored] = std::mismatch(root_.begin(), root_.end(), wanted.begin(), wanted.end());
  if (error || root_end != root_.end()) return not_found("that address");
  if (fs::is_regular_file(wanted, error)) return file_response(request, wanted, path.starts_with("/assets/"));
  // A missing asset is a real 404; any other path is an app route the SPA resolves itself.
  if (path.starts_with("/assets/") || fs::path(path).has_extension()) return not_found(path);
  return file_response(request, root_ / "index.html", false);
}

}  // namespace accompany
