#include "ingest/fields.h"

#include <fmt/format.h>

namespace accompany {
namespace {

// Sets fields[index] to `value`, reusing the string already there.
void put(std::vector<std::string>& fields, size_t index, std::string_view value) {
  if (index < fields.size())
    fields[index].assign(value);
  else
    fields.emplace_back(value);
}

}  // namespace

Status split_csv(std::string_view record, std::vector<std::string>& fields) {
  size_t count = 0;
  size_t i = 0;
  const size_t size = record.size();
  for (;;) {
    if (i < size && record[i] == '"') {
      // Quoted field: runs to the closing quote; "" is one quote.
      if (count >= fields.size()) fields.emplace_back();
      std::string& field = fields[count];
      field.clear();
      ++i;
      for (;;) {
        if (i >= size)
          return invalid("(row)", record.substr(0, 80),
                         fmt::format("field {} opens a quote that is never closed", count + 1));
        const size_t quote = record.find('"', i);
        if (quote == std::string_view::npos) {
          i = size;
          continue;
        }
        field.append(record.substr(i, quote - i));
        if (quote + 1 < size && record[quote + 1] == '"') {
          field.push_back('"');
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      ++count;
      if (i == size) break;
      if (record[i] != ',')
        return invalid("(row)", record.substr(0, 80), fmt::format("field {} has text after its closing quote", count));
      ++i;
      continue;
    }
    const size_t comma = record.find(',', i);
    const size_t stop = comma == std::string_view::npos ? size : comma;
    const std::string_view value = record.substr(i, stop - i);
    if (value.find('"') != std::string_view::npos)
      return invalid("(row)", record.substr(0, 80),
                     fmt::format("field {} has a quote inside an unquoted value", count + 1));
    put(fields, count++, value);
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  fields.resize(count);
  return {};
}

void split_pipes(std::string_view record, std::vector<std::string>& fields) {
  size_t count = 0;
  size_t i = 0;
  for (;;) {
    const size_t pipe = record.find('|', i);
    const size_t stop = pipe == std::string_view::npos ? record.size() : pipe;
    put(fields, count++, record.substr(i, stop - i));
    if (pipe == std::string_view::npos) break;
    i = pipe + 1;
  }
  fields.resize(count);
}

}  // namespace accompany
