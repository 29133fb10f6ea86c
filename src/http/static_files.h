// Serves the built web UI (web/dist) as static files: only files under the root, never a
// path that escapes it; unknown paths get index.html so the single-page app can route.
#pragma once

#include "http/message.h"

#include <filesystem>

namespace accompany {

class StaticFiles {
 public:
  // `root` is the folder holding index.html; it must exist.
  static Result<StaticFiles> open(const std::filesystem::path& root);
  // GET/HEAD of a file under the root; 404 for a missing asset, index.html for app routes.
  Response serve(const Request& request) const;

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

}  // namespace accompany
