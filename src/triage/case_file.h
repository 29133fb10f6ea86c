// One child's case as triage sees it: every record about the child, loaded together, and the
// small cross-case index (who shares a sponsor or an address) that a few rules need. Pure data.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/address.h"
#include "domain/case_events.h"
#include "domain/child.h"
#include "domain/contact.h"
#include "domain/sponsor.h"
#include "domain/task.h"

namespace accompany {

struct CaseFile {
  Child child;
  std::optional<Sponsor> sponsor;            // the sponsor of the latest release, if any
  std::vector<Address> addresses;            // oldest first; the last one is current
  std::vector<CustodyEvent> custody_events;  // by time
  std::vector<NoticeToAppear> notices;
  std::vector<Hearing> hearings;             // by scheduled time
  std::vector<WelfareCheck> welfare_checks;  // by due date
  std::vector<Contact> contacts;             // by time
  std::vector<Task> open_tasks;

  // Puts every list in the order above (loaders may deliver rows in any order).
  void sort();
  const Address* current_address() const;
  const Address* address(Id id) const;
  // The latest release to a sponsor, when the case is still open after it (no later turning 18,
  // repatriation or closing). Most rules are about released children only.
  std::optional<Timestamp> active_release() const;
  std::optional<Id> release_sponsor_id() const;
};

// Which children share a sponsor, a household address or a building; kept current one child
// at a time. "Unrelated" children are counted as families: children who share a surname are
// taken as one family, because the store holds no sibling links (see docs/triage.md).
// Not thread-safe.
class CaseIndex {
 public:
  // Adds or replaces the child's links; returns the other children whose counts changed
  // (their cross-case rules need re-evaluating too).
  std::vector<Id> update(const CaseFile& file);
  void remove(Id child_id);

  int unrelated_children_with_sponsor(Id sponsor_id) const;
  int unrelated_children_at_address(const std::string& unit_key) const;
  int households_at_building(const std::string& street_key) const;
  size_t size() const { return links_.size(); }

  struct Links {
    std::optional<Id> sponsor_id;
    std::string unit_key;    // the household's address (see AddressAssessment)
    std::string street_key;  // the building
    std::string household;   // who lives there as one household: the sponsor, else the unit
    std::vector<std::string> surnames;
  };
  static Links links_of(const CaseFile& file);

 private:
  struct Group {
    std::vector<Id> members;
    int count = 0;  // unrelated families, or households for buildings
  };
  enum class Counting { families, households };

  void join(std::unordered_map<std::string, Group>& groups, const std::string& key, Id child, Counting counting,
            std::vector<Id>& affected);
  void leave(std::unordered_map<std::string, Group>& groups, const std::string& key, Id child, Counting counting,
             std::vector<Id>& affected);
  void recount(Group& group, Counting counting) const;
  static int count_of(const std::unordered_map<std::string, Group>& groups, const std::string& key);

  std::unordered_map<Id, Links> links_;
  std::unordered_map<std::string, Group> by_sponsor_;
  std::unordered_map<std::string, Group> by_address_;
  std::unordered_map<std::string, Group> by_building_;
};

}  // namespace accompany
