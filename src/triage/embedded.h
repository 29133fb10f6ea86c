// The rule set and reference tables compiled into the binary (cmake: accompany_embed_files).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace accompany::triage_files {
// {path under src/, contents}: "triage/rules/default.json", "triage/data/zip3_states.csv", ...
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}  // namespace accompany::triage_files

namespace accompany {
// The contents of one embedded file; an unknown path is a programmer error (throws).
std::string_view embedded_triage_file(std::string_view path);
}  // namespace accompany
