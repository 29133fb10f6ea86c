// One table of names per enum, used to print it, parse it from feeds and the API, and store it.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "common/error.h"

namespace accompany {

template <class E, size_t N>
using EnumTable = std::array<std::pair<E, std::string_view>, N>;

template <class E, size_t N>
constexpr std::string_view enum_name(const EnumTable<E, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

template <class E, size_t N>
Result<E> parse_enum(const EnumTable<E, N>& table, std::string_view field, std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  std::string allowed;
  for (const auto& [v, name] : table) {
    if (!allowed.empty()) allowed += ", ";
    allowed += name;
  }
  return invalid(field, text, "not one of: " + allowed);
}

}  // namespace accompany
