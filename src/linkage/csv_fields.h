// Splitting one CSV line into fields (RFC 4180 quoting), for the readers of benchmark and truth files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace accompany::linkage {

// Fields of one line (no embedded line breaks), with surrounding spaces trimmed and quotes removed.
std::vector<std::string> split_csv_line(std::string_view line, char delimiter = ',');
// Lines of a text, without their '\n' or "\r\n"; a final empty line is dropped.
std::vector<std::string_view> split_lines(std::string_view text);

}  // namespace accompany::linkage
