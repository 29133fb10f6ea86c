#include "triage/case_file.h"

#include <algorithm>
#include <numeric>

#include "triage/address_quality.h"

namespace accompany {

void CaseFile::sort() {
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(addresses.begin(), addresses.end(), by_id);
  std::sort(custody_events.begin(), custody_events.end(), [](const CustodyEvent& a, const CustodyEvent& b) {
    return std::tie(a.occurred_at, a.id) < std::tie(b.occurred_at, b.id);
  });
  std::sort(notices.begin(), notices.end(), by_id);
  std::sort(hearings.begin(), hearings.end(), [](const Hearing& a, const Hearing& b) {
    return std::tie(a.scheduled_at, a.id) < std::tie(b.scheduled_at, b.id);
  });
  std::sort(welfare_checks.begin(), welfare_checks.end(), [](const WelfareCheck& a, const WelfareCheck& b) {
    return std::tie(a.due_on, a.id) < std::tie(b.due_on, b.id);
  });
  std::sort(contacts.begin(), contacts.end(), [](const Contact& a, const Contact& b) {
    return std::tie(a.occurred_at, a.id) < std::tie(b.occurred_at, b.id);
  });
  std::sort(open_tasks.begin(), open_tasks.end(), by_id);
}

const Address* CaseFile::current_address() const {
  return addresses.empty() ? nullptr : &addresses.back();
}

const Address* CaseFile::address(Id id) const {
  for (const auto& a : addresses)
    if (a.id == id) return &a;
  return nullptr;
}

std::optional<Timestamp> CaseFile::active_release() const {
  std::optional<Timestamp> release;
  for (const auto& event : custody_events) {
    switch (event.kind) {
      case CustodyEventKind::released_to_sponsor:
        release = event.occurred_at;
        break;
      case CustodyEventKind::turned_18:
      case CustodyEventKind::repatriated:
      case CustodyEventKind::case_closed:
        release.reset();
        break;
      default:
        break;
    }
  }
  return release;
}

std::optional<Id> CaseFile::release_sponsor_id() const {
  for (auto it = custody_events.rbegin(); it != custody_events.rend(); ++it)
    if (it->kind == CustodyEventKind::released_to_sponsor) return it->sponsor_id;
  return std::nullopt;
}

CaseIndex::Links CaseIndex::links_of(const CaseFile& file) {
  Links links;
  links.sponsor_id = file.release_sponsor_id();
  if (const Address* address = file.current_address()) {
    const AddressAssessment assessed = assess_address(*address);
    links.unit_key = assessed.unit_key;
    links.street_key = assessed.street_key;
    links.household = address->sponsor_id ? "sponsor:" + std::to_string(*address->sponsor_id)
                      : links.sponsor_id  ? "sponsor:" + std::to_string(*links.sponsor_id)
                                          : "unit:" + assessed.unit_key;
  }
  for (const auto* surname : {&file.child.name.paternal_surname, &file.child.name.maternal_surname}) {
    if (surname->empty()) continue;
    std::string upper;
    for (unsigned char c : *surname) upper += static_cast<char>(std::toupper(c));
    links.surnames.push_back(std::move(upper));
  }
  return links;
}

std::vector<Id> CaseIndex::update(const CaseFile& file) {
  const Id child = file.child.id;
  Links next = links_of(file);
  std::vector<Id> affected;
  auto found = links_.find(child);
  if (found != links_.end()) {
    const Links& previous = found->second;
    const bool same = previous.sponsor_id == next.sponsor_id && previous.unit_key == next.unit_key &&
                      previous.street_key == next.street_key && previous.household == next.household &&
                      previous.surnames == next.surnames;
    if (same) return affected;
    remove(child);
  }
  Links& stored = links_[child] = std::move(next);
  if (stored.sponsor_id) join(by_sponsor_, std::to_string(*stored.sponsor_id), child, Counting::families, affected);
  if (!stored.unit_key.empty()) join(by_address_, stored.unit_key, child, Counting::families, affected);
  if (!stored.street_key.empty()) join(by_building_, stored.street_key, child, Counting::households, affected);
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
  affected.erase(std::remove(affected.begin(), affected.end(), child), affected.end());
  return affected;
}

void CaseIndex::remove(Id child) {
  auto found = links_.find(child);
  if (found == links_.end()) return;
  std::vector<Id> ignored;
  const Links& links = found->second;
  if (links.sponsor_id) leave(by_sponsor_, std::to_string(*links.sponsor_id), child, Counting::families, ignored);
  if (!links.unit_key.empty()) leave(by_address_, links.unit_key, child, Counting::families, ignored);
  if (!links.street_key.empty()) leave(by_building_, links.street_key, child, Counting::households, ignored);
  links_.erase(found);
}

void CaseIndex::join(std::unordered_map<std::string, Group>& groups, const std::string& key, Id child,
                     Counting counting, std::vector<Id>& affected) {
  Group& group = groups[key];
  group.members.push_back(child);
  const int before = group.count;
  recount(group, counting);
  if (group.count != before) affected.insert(affected.end(), group.members.begin(), group.members.end());
}

void CaseIndex::leave(std::unordered_map<std::string, Group>& groups, const std::string& key, Id child,
                      Counting counting, std::vector<Id>& affected) {
  auto found = groups.find(key);
  if (found == groups.end()) return;
  Group& group = found->second;
  group.members.erase(std::remove(group.members.begin(), group.members.end(), child), group.members.end());
  if (group.members.empty()) {
    groups.erase(found);
    return;
  }
  const int before = group.count;
  recount(group, counting);
  if (group.count != before) affected.insert(affected.end(), group.members.begin(), group.members.end());
}

// Families: union-find over members joined by a shared surname, linear in the group's size.
// Households: distinct household keys.
void CaseIndex::recount(Group& group, Counting counting) const {
  const size_t n = group.members.size();
  if (counting == Counting::households) {
    std::vector<const std::string*> households;
    for (Id member : group.members) households.push_back(&links_.at(member).household);
    std::sort(households.begin(), households.end(), [](auto* a, auto* b) { return *a < *b; });
    group.count =
        static_cast<int>(std::unique(households.begin(), households.end(), [](auto* a, auto* b) { return *a == *b; }) -
                         households.begin());
    return;
  }
  std::vector<size_t> parent(n);
  std::iota(parent.begin(), parent.end(), size_t{0});
  auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::unordered_map<std::string_view, size_t> first_with_surname;
  int families = static_cast<int>(n);
  for (size_t i = 0; i < n; ++i) {
    for (const auto& surname : links_.at(group.members[i]).surnames) {
      auto [at, inserted] = first_with_surname.emplace(surname, i);
      if (inserted) continue;
      const size_t a = root(i), b = root(at->second);
      if (a != b) {
        parent[a] = b;
        --families;
      }
    }
  }
  group.count = families;
}

int CaseIndex::count_of(const std::unordered_map<std::string, Group>& groups, const std::string& key) {
  auto found = groups.find(key);
  return found == groups.end() ? 0 : found->second.count;
}

int CaseIndex::unrelated_children_with_sponsor(Id sponsor_id) const {
  return count_of(by_sponsor_, std::to_string(sponsor_id));
}
int CaseIndex::unrelated_children_at_address(const std::string& unit_key) const {
  return count_of(by_address_, unit_key);
}
int CaseIndex::households_at_building(const std::string& street_key) const {
  return count_of(by_building_, street_key);
}

}  // namespace accompany
