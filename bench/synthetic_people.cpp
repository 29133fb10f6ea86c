// Benchmark population: names drawn from the public lists, people and their misspelled copies.
#include "synthetic_people.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <stdexcept>

#include "linkage/csv_fields.h"
#include "linkage/text_fold.h"

namespace accompany::bench {
namespace {

const std::set<std::string> kSpanishSpeaking{"MX", "GT", "HN", "NI", "CR", "PA", "CO", "EC", "PE", "ES",
                                             "CU", "DO", "VE", "AR", "CL", "BO", "PY", "UY", "PR"};
// Mayan surnames common among Guatemalan children, written down by hand (data/README.md).
const std::vector<std::string> kMayanSurnames{"Tzul", "Xol", "Caal", "Choc", "Pop", "Coc", "Tiul", "Ajanel", "Tum"};

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) rows.push_back(linkage::split_csv_line(line));
  return rows;
}

std::string title_case(const std::string& upper) {
  std::string out = upper;
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i - 1] != ' ' && out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  return out;
}

}  // namespace

NameLists NameLists::load() {
  NameLists lists;
  const std::string dir = ACCOMPANY_NAMES_DIR;
  std::set<std::string> seen_female, seen_male, seen_surname;
  for (const auto& row : read_csv(dir + "/sigpwned_common-forenames-by-country.csv")) {
    if (row.size() < 12 || !kSpanishSpeaking.count(row[0])) continue;
    auto& target = row[9] == "F" ? lists.female : lists.male;
    auto& seen = row[9] == "F" ? seen_female : seen_male;
    if (seen.insert(row[10]).second) target.push_back(row[10]);
  }
  for (const auto& row : read_csv(dir + "/sigpwned_common-surnames-by-country.csv")) {
    if (row.size() < 6 || !kSpanishSpeaking.count(row[0]) || row[4].empty()) continue;
    if (!seen_surname.insert(linkage::fold_text(row[4])).second) continue;
    lists.surnames.push_back(row[4]);
    lists.surname_weights.push_back(1.0 / std::max(1.0, std::stod(row[1].empty() ? "50" : row[1])));
  }
  for (const auto& row : read_csv(dir + "/census2010_surnames_top1022_from_DinaAbrahim.csv")) {
    if (row.size() < 11 || row[10].empty() || row[10] == "(S)" || std::stod(row[10]) < 60) continue;
    if (!seen_surname.insert(linkage::fold_text(row[0])).second) continue;
    lists.surnames.push_back(title_case(row[0]));
    lists.surname_weights.push_back(std::stod(row[2]) / 2e7);
  }
  for (const auto& s : kMayanSurnames) {
    lists.surnames.push_back(s);
    lists.surname_weights.push_back(0.02);
  }
  if (lists.female.empty() || lists.male.empty() || lists.surnames.empty())
    throw std::runtime_error("the name lists in " + dir + " are missing or empty");
  return lists;
}

Person PeopleGenerator::person() {
  std::uniform_real_distribution<double> coin(0, 1);
  std::discrete_distribution<size_t> surname(names_.surname_weights.begin(), names_.surname_weights.end());
  Person p;
  p.sex = coin(rng_) < 0.5 ? Sex::female : Sex::male;
  const auto& given = p.sex == Sex::female ? names_.female : names_.male;
  std::uniform_int_distribution<size_t> pick(0, given.size() - 1);
  p.given = given[pick(rng_)];
  if (coin(rng_) < 0.4) p.given += " " + given[pick(rng_)];  // compound: María José, José Luis
  p.paternal = names_.surnames[surname(rng_)];
  p.maternal = names_.surnames[surname(rng_)];
  std::uniform_int_distribution<int> year(2005, 2023), month(1, 12), day(1, 28);
  p.birth = Date{std::chrono::year{year(rng_)}, std::chrono::month{static_cast<unsigned>(month(rng_))},
                 std::chrono::day{static_cast<unsigned>(day(rng_))}};
  std::uniform_int_distribution<uint64_t> digits(100000000, 299999999);
  if (coin(rng_) < 0.7) p.anumber = std::to_string(digits(rng_));
  if (coin(rng_) < 0.3) p.phone = fmt::format("{}", 2000000000 + digits(rng_) % 7999999999);
  return p;
}

std::string PeopleGenerator::misspell(const std::string& word) {
  std::string w = linkage::fold_text(word);
  if (w.size() < 4) return w;
  std::uniform_int_distribution<size_t> at(1, w.size() - 2);
  std::uniform_int_distribution<int> kind(0, 2);
  std::uniform_int_distribution<int> letter('a', 'z');
  const size_t i = at(rng_);
  switch (kind(rng_)) {
    case 0:
      w[i] = static_cast<char>(letter(rng_));
      break;
    case 1:
      w.erase(i, 1);
      break;
    default:
      std::swap(w[i], w[i + 1]);
      break;
  }
  return w;
}

Person PeopleGenerator::corrupted(const Person& original) {
  std::uniform_real_distribution<double> coin(0, 1);
  Person p = original;
  if (coin(rng_) < 0.5) p.given = linkage::fold_text(p.given);  // accents and case lost
  if (coin(rng_) < 0.3) p.paternal = misspell(p.paternal);
  if (coin(rng_) < 0.2) p.given = misspell(p.given);
  if (coin(rng_) < 0.15) std::swap(p.paternal, p.maternal);
  if (coin(rng_) < 0.15) p.maternal.clear();
  if (coin(rng_) < 0.05 && p.birth.day() <= std::chrono::day{12})
    p.birth = Date{p.birth.year(), std::chrono::month{static_cast<unsigned>(p.birth.day())},
                   std::chrono::day{static_cast<unsigned>(p.birth.month())}};
  if (!p.anumber.empty() && coin(rng_) < 0.05)
    p.anumber[3] = p.anumber[3] == '9' ? '0' : static_cast<char>(p.anumber[3] + 1);
  if (coin(rng_) < 0.3) p.anumber.clear();
  return p;
}

size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace accompany::bench
