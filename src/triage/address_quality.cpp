#include "triage/address_quality.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "triage/embedded.h"

namespace accompany {
namespace {

struct UnitDesignator {
  std::string standard;
  bool requires_number = true;
};

struct ZipRange {
  int first = 0;
  int last = 0;
  std::vector<std::string> states;
};

// The rows of an embedded CSV after its '#' comments and header line. The tables are ours and
// tiny, so a plain comma split is enough.
std::vector<std::vector<std::string>> csv_rows(std::string_view path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in{std::string(embedded_triage_file(path))};
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("# ")) continue;  // '#' alone in a cell is data (the "#" unit)
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream fields(line);
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    rows.push_back(std::move(cells));
  }
  return rows;
}

const std::unordered_map<std::string, std::string>& suffixes() {
  static const auto table = [] {
    std::unordered_map<std::string, std::string> map;
    for (auto& row : csv_rows("triage/data/usps_street_suffixes.csv")) map[row.at(0)] = row.at(1);
    return map;
  }();
  return table;
}

const std::unordered_map<std::string, UnitDesignator>& designators() {
  static const auto table = [] {
    std::unordered_map<std::string, UnitDesignator> map;
    for (auto& row : csv_rows("triage/data/usps_unit_designators.csv"))
      map[row.at(0)] = UnitDesignator{row.at(1), row.at(2) == "yes"};
    return map;
  }();
  return table;
}

const std::vector<ZipRange>& zip_ranges() {
  static const auto table = [] {
    std::vector<ZipRange> ranges;
    for (auto& row : csv_rows("triage/data/zip3_states.csv")) {
      ZipRange range{std::stoi(row.at(0)), std::stoi(row.at(1)), {}};
      std::istringstream states(row.at(2));
      for (std::string state; states >> state;) range.states.push_back(state);
      ranges.push_back(std::move(range));
    }
    return ranges;
  }();
  return table;
}

const std::map<std::string, std::string, std::less<>>& directionals() {
  static const std::map<std::string, std::string, std::less<>> table{
      {"NORTH", "N"},      {"SOUTH", "S"},      {"EAST", "E"}, {"WEST", "W"}, {"NORTHEAST", "NE"}, {"NORTHWEST", "NW"},
      {"SOUTHEAST", "SE"}, {"SOUTHWEST", "SW"}, {"N", "N"},    {"S", "S"},    {"E", "E"},          {"W", "W"},
      {"NE", "NE"},        {"NW", "NW"},        {"SE", "SE"},  {"SW", "SW"}};
  return table;
}

// Designators we move out of the street line; words such as FRONT, KEY or PIER are also street
// names ("Front St"), so only these unambiguous ones are taken as a unit inside the line.
bool unambiguous_in_line(std::string_view designator) {
  static constexpr std::string_view kWords[] = {"APT",  "APARTMENT", "STE",      "SUITE", "UNIT",    "#",  "RM",
                                                "ROOM", "BLDG",      "BUILDING", "TRLR",  "TRAILER", "SPC"};
  return std::find(std::begin(kWords), std::end(kWords), designator) != std::end(kWords);
}

// Upper-cases ASCII, turns punctuation other than '#', '-' and '/' into spaces, splits off '#'.
std::vector<std::string> tokens(std::string_view text) {
  std::string cleaned;
  for (unsigned char c : text) {
    if (c == '#') {
      cleaned += " # ";
    } else if (std::isalnum(c) || c == '-' || c == '/' || c >= 0x80) {
      cleaned += static_cast<char>(std::toupper(c));
    } else {
      cleaned += ' ';
    }
  }
  std::vector<std::string> out;
  std::istringstream in(cleaned);
  for (std::string token; in >> token;) out.push_back(token);
  return out;
}

std::string join(const std::vector<std::string>& parts, size_t from = 0, size_t to = std::string::npos) {
  std::string out;
  for (size_t i = from; i < std::min(to, parts.size()); ++i) {
    if (!out.empty()) out += ' ';
    out += parts[i];
  }
  return out;
}

bool starts_with_digit(std::string_view token) {
  return !token.empty() && std::isdigit(static_cast<unsigned char>(token[0]));
}

// Normalizes a unit ("apartment 4b" -> "APT 4B", "4B" -> "# 4B"); false when not recognizable.
bool normalize_unit(const std::vector<std::string>& parts, std::string& out) {
  if (parts.empty()) return true;
  const auto& table = designators();
  auto found = table.find(parts[0]);
  if (found == table.end()) {
    // A bare identifier is a unit without its designator; Pub 28 writes it after '#'.
    if (parts.size() == 1) {
      out = "# " + parts[0];
      return true;
    }
    out = join(parts);
    return false;
  }
  const std::string rest = join(parts, 1);
  out = rest.empty() ? found->second.standard : found->second.standard + " " + rest;
  return !(found->second.requires_number && rest.empty());
}

}  // namespace

std::string_view embedded_triage_file(std::string_view path) {
  for (const auto& [name, contents] : triage_files::embedded_files())
    if (name == path) return contents;
  throw std::logic_error(fmt::format("{} is not compiled into this build", path));
}

std::string_view to_string(AddressDefectKind kind) {
  switch (kind) {
    case AddressDefectKind::no_house_number:
      return "no_house_number";
    case AddressDefectKind::po_box:
      return "po_box";
    case AddressDefectKind::unit_not_recognized:
      return "unit_not_recognized";
    case AddressDefectKind::unit_in_line_without_number:
      return "unit_in_line_without_number";
    case AddressDefectKind::zip_state_mismatch:
      return "zip_state_mismatch";
    case AddressDefectKind::zip_unknown_prefix:
      return "zip_unknown_prefix";
  }
  return "?";
}

bool AddressAssessment::has(AddressDefectKind kind) const {
  return std::any_of(defects.begin(), defects.end(), [&](const AddressDefect& d) { return d.kind == kind; });
}

std::vector<std::string_view> states_for_zip(std::string_view zip) {
  std::vector<std::string_view> states;
  if (zip.size() < 3 || !std::all_of(zip.begin(), zip.begin() + 3, [](unsigned char c) { return std::isdigit(c); }))
    return states;
  const int prefix = (zip[0] - '0') * 100 + (zip[1] - '0') * 10 + (zip[2] - '0');
  for (const auto& range : zip_ranges())
    if (prefix >= range.first && prefix <= range.last)
      for (const auto& state : range.states) states.push_back(state);
  return states;
}

std::string_view standard_street_suffix(std::string_view written) {
  std::string upper;
  for (unsigned char c : written) upper += static_cast<char>(std::toupper(c));
  auto found = suffixes().find(upper);
  return found == suffixes().end() ? std::string_view() : std::string_view(found->second);
}

AddressAssessment assess_address(const Address& address) {
  AddressAssessment result;
  std::vector<std::string> line = tokens(address.line);
  std::vector<std::string> unit = tokens(address.unit);

  const bool po_box = (line.size() >= 2 && line[0] == "PO" && line[1] == "BOX") ||
                      (line.size() >= 3 && line[0] == "P" && line[1] == "O" && line[2] == "BOX") ||
                      (!line.empty() && line[0] == "POBOX");
  if (po_box) {
    result.defects.push_back({AddressDefectKind::po_box, "a post-office box is not a home address",
                              "un apartado postal no es un domicilio"});
  } else if (line.empty() || !starts_with_digit(line[0])) {
    result.defects.push_back({AddressDefectKind::no_house_number,
                              fmt::format("'{}' does not start with a house number", address.line),
                              fmt::format("'{}' no empieza con un número de casa", address.line)});
  }

  // A unit written inside the street line ("123 Main St Apt 4") moves to the unit.
  if (!po_box) {
    for (size_t i = 2; i < line.size(); ++i) {
      if (!unambiguous_in_line(line[i])) continue;
      std::vector<std::string> in_line(line.begin() + static_cast<std::ptrdiff_t>(i), line.end());
      line.resize(i);
      // Only a unit taken from the line is known to start with a designator; a unit field given
      // beside it is checked below like any other.
      if (unit.empty()) {
        unit = std::move(in_line);
        if (unit.size() == 1 && designators().at(unit[0]).requires_number) {
          result.defects.push_back({AddressDefectKind::unit_in_line_without_number,
                                    fmt::format("'{}' names a unit type but no unit number", address.line),
                                    fmt::format("'{}' indica un tipo de unidad pero no su número", address.line)});
          unit.clear();
        }
      }
      break;
    }
    // The street suffix is the last word, or the one before a trailing directional ("MAIN ST NW").
    size_t suffix_at = line.size();
    if (line.size() >= 3 && directionals().contains(line.back())) {
      line.back() = directionals().find(line.back())->second;
      suffix_at = line.size() - 1;
    }
    // "12 AVENUE" has no street name after the number, so a lone word is the name, not a suffix.
    if (suffix_at >= 3) {
      auto found = suffixes().find(line[suffix_at - 1]);
      if (found != suffixes().end()) line[suffix_at - 1] = found->second;
    }
    if (line.size() >= 3) {
      auto dir = directionals().find(line[1]);
      if (dir != directionals().end()) line[1] = dir->second;
    }
  }
  result.line = join(line);

  std::string normalized_unit;
  if (!normalize_unit(unit, normalized_unit))
    result.defects.push_back({AddressDefectKind::unit_not_recognized,
                              fmt::format("'{}' is not a USPS unit (for example APT 4B, STE 200, # 3)",
                                          address.unit.empty() ? normalized_unit : address.unit),
                              fmt::format("'{}' no es una unidad del USPS (por ejemplo APT 4B, STE 200, # 3)",
                                          address.unit.empty() ? normalized_unit : address.unit)});
  result.unit = normalized_unit;

  result.zip5 = address.zip.substr(0, std::min<size_t>(5, address.zip.size()));
  const auto states = states_for_zip(result.zip5);
  if (states.empty()) {
    result.defects.push_back(
        {AddressDefectKind::zip_unknown_prefix,
         fmt::format("no state uses ZIP codes starting {}", result.zip5.substr(0, 3)),
         fmt::format("ningún estado usa códigos postales que empiecen por {}", result.zip5.substr(0, 3))});
  } else if (std::find(states.begin(), states.end(), address.state) == states.end()) {
    result.defects.push_back(
        {AddressDefectKind::zip_state_mismatch,
         fmt::format("ZIP {} is in {}, not {}", result.zip5, states.front(), address.state),
         fmt::format("el código postal {} es de {}, no de {}", result.zip5, states.front(), address.state)});
  }
  result.street_key = result.line + "|" + result.zip5;
  result.unit_key = result.street_key + "|" + result.unit;
  return result;
}

}  // namespace accompany
