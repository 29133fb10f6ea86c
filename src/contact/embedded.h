// The contact center's rules compiled into the binary (cmake: accompany_embed_files).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace accompany::contact_files {
// {path under src/, contents}: "contact/rules/contact_center.json".
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}  // namespace accompany::contact_files
