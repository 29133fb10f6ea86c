// Minimal CSV field splitting for one-line records.
#include "linkage/csv_fields.h"

namespace accompany::linkage {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::vector<std::string> split_csv_line(std::string_view line, char delimiter) {
  std::vector<std::string> fields;
  std::string current;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        current += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        current += c;
      }
    } else if (c == '"' && trim(current).empty()) {
      quoted = was_quoted = true;
      current.clear();
    } else if (c == delimiter) {
      fields.push_back(was_quoted ? current : trim(current));
      current.clear();
      was_quoted = false;
    } else {
      current += c;
    }
  }
  fields.push_back(was_quoted ? current : trim(current));
  return fields;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace accompany::linkage
