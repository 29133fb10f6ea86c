#include "triage/predicates.h"

#include <algorithm>

#include "domain/enum_names.h"

namespace accompany {
namespace {

using std::chrono::days;

int days_from(Timestamp from, Timestamp to) {
  return days_between(date_of(from), date_of(to));
}

std::string day_text(Timestamp at) {
  return format_date(date_of(at));
}

ParamSpec integer(std::string_view name, std::int64_t fallback, std::int64_t min, std::int64_t max,
                  std::string_view meaning) {
  ParamSpec spec;
  spec.name = name;
  spec.kind = ParamSpec::Kind::integer;
  spec.default_integer = fallback;
  spec.min = min;
  spec.max = max;
  spec.meaning = meaning;
  return spec;
}

template <class E, size_t N>
ParamSpec names(std::string_view name, const EnumTable<E, N>& table, std::vector<std::string_view> fallback,
                std::string_view meaning) {
  ParamSpec spec;
  spec.name = name;
  spec.kind = ParamSpec::Kind::names;
  for (const auto& [value, text] : table) spec.allowed.push_back(text);
  spec.default_names = std::move(fallback);
  spec.meaning = meaning;
  return spec;
}

template <class E, size_t N>
std::vector<E> parse_names(const EnumTable<E, N>& table, const std::vector<std::string>& list) {
  std::vector<E> out;
  for (const auto& name : list) out.push_back(*parse_enum(table, "param", name));  // checked when loaded
  return out;
}

template <class E>
bool contains(const std::vector<E>& list, E value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool reached(const WelfareCheck& check) {
  return check.done() && check.outcome && *check.outcome != WelfareOutcome::unreachable;
}

// Completed checks since `since`, in the order they were done.
std::vector<const WelfareCheck*> checks_done_since(const CaseFile& file, Timestamp since) {
  std::vector<const WelfareCheck*> done;
  for (const auto& check : file.welfare_checks)
    if (check.done() && *check.done_at >= since) done.push_back(&check);
  std::sort(done.begin(), done.end(), [](auto* a, auto* b) { return *a->done_at < *b->done_at; });
  return done;
}

constexpr EnumTable<AddressDefectKind, 6> kDefectNames{{
    {AddressDefectKind::no_house_number, "no_house_number"},
    {AddressDefectKind::po_box, "po_box"},
    {AddressDefectKind::unit_not_recognized, "unit_not_recognized"},
    {AddressDefectKind::unit_in_line_without_number, "unit_in_line_without_number"},
    {AddressDefectKind::zip_state_mismatch, "zip_state_mismatch"},
    {AddressDefectKind::zip_unknown_prefix, "zip_unknown_prefix"},
}};

struct Released {
  Timestamp at;
  int days_ago;
};

// The active release when it was at least `limit` days ago; nothing otherwise.
std::optional<Released> released_at_least(const CaseContext& c, std::int64_t limit) {
  auto release = c.file.active_release();
  if (!release) return std::nullopt;
  const int since = days_from(*release, c.now);
  if (since < limit) return std::nullopt;
  return Released{*release, since};
}

// An address problem, in English and Spanish, for the {problem} and {problema} placeholders.
Facts problem(std::string en, std::string es) {
  return Facts{{{"problem", std::move(en)}, {"problema", std::move(es)}}, std::nullopt};
}

std::vector<PredicateSpec> build() {
  std::vector<PredicateSpec> list;

  list.push_back({"ran_away",
                  "the child ran away from the sponsor after the latest release",
                  {},
                  {"runaway_date", "days_since_runaway"},
                  [](const Params&) -> Condition {
                    return [](const CaseContext& c) -> std::optional<Facts> {
                      auto release = c.file.active_release();
                      if (!release) return std::nullopt;
                      const CustodyEvent* runaway = nullptr;
                      for (const auto& e : c.file.custody_events)
                        if (e.kind == CustodyEventKind::ran_away && e.occurred_at >= *release) runaway = &e;
                      if (!runaway) return std::nullopt;
                      return Facts{{{"runaway_date", day_text(runaway->occurred_at)},
                                    {"days_since_runaway", std::to_string(days_from(runaway->occurred_at, c.now))}},
                                   std::nullopt};
                    };
                  }});

  list.push_back({"open_exploitation_report",
                  "a contact reported exploitation and no welfare check has reached the child since",
                  {},
                  {"report_date", "days_since_report"},
                  [](const Params&) -> Condition {
                    return [](const CaseContext& c) -> std::optional<Facts> {
                      const Contact* report = nullptr;
                      for (const auto& contact : c.file.contacts)
                        if (contact.category == ContactCategory::exploitation_report) report = &contact;
                      if (!report) return std::nullopt;
                      for (const auto& check : c.file.welfare_checks)
                        if (reached(check) && *check.done_at >= report->occurred_at) return std::nullopt;
                      return Facts{{{"report_date", day_text(report->occurred_at)},
                                    {"days_since_report", std::to_string(days_from(report->occurred_at, c.now))}},
                                   std::nullopt};
                    };
                  }});

  list.push_back({"welfare_unreachable",
                  "the last welfare checks since release all failed to reach the child",
                  {integer("times", 2, 1, 10, "how many unreachable checks in a row")},
                  {"times", "last_attempt_date"},
                  [](const Params& p) -> Condition {
                    const auto times = static_cast<size_t>(p.integer("times"));
                    return [times](const CaseContext& c) -> std::optional<Facts> {
                      auto release = c.file.active_release();
                      if (!release) return std::nullopt;
                      auto done = checks_done_since(c.file, *release);
                      if (done.size() < times) return std::nullopt;
                      for (size_t i = done.size() - times; i < done.size(); ++i)
                        if (reached(*done[i])) return std::nullopt;
                      return Facts{
                          {{"times", std::to_string(times)}, {"last_attempt_date", day_text(*done.back()->done_at)}},
                          std::nullopt};
                    };
                  }});

  list.push_back(
      {"latest_welfare_outcome",
       "the latest completed welfare check since release ended with one of the outcomes (a follow-up "
       "is due)",
       {names("outcomes", kWelfareOutcomeNames, {"reached_concern"}, "welfare check outcomes")},
       {"last_check_date", "days_since_check"},
       [](const Params& p) -> Condition {
         const auto outcomes = parse_names(kWelfareOutcomeNames, p.list("outcomes"));
         return [outcomes](const CaseContext& c) -> std::optional<Facts> {
           auto release = c.file.active_release();
           if (!release) return std::nullopt;
           auto done = checks_done_since(c.file, *release);
           if (done.empty() || !done.back()->outcome || !contains(outcomes, *done.back()->outcome)) return std::nullopt;
           const Timestamp at = *done.back()->done_at;
           return Facts{{{"last_check_date", day_text(at)}, {"days_since_check", std::to_string(days_from(at, c.now))}},
                        std::nullopt};
         };
       }});

  list.push_back(
      {"sponsor_category_without_check",
       "released to a sponsor of the listed categories, and no welfare check has reached the child within the days",
       {integer("days", 30, 0, 365, "days after release"),
        names("categories", kSponsorCategoryNames, {"3"}, "ORR sponsor categories")},
       {"days_since_release", "sponsor_category"},
       [](const Params& p) -> Condition {
         const auto limit = p.integer("days");
         const auto categories = parse_names(kSponsorCategoryNames, p.list("categories"));
         return [limit, categories](const CaseContext& c) -> std::optional<Facts> {
           auto release = released_at_least(c, limit);
           if (!release || !c.file.sponsor || !contains(categories, c.file.sponsor->category)) return std::nullopt;
           for (const auto* check : checks_done_since(c.file, release->at))
             if (reached(*check)) return std::nullopt;
           return Facts{{{"days_since_release", std::to_string(release->days_ago)},
                         {"sponsor_category", std::string(enum_name(kSponsorCategoryNames, c.file.sponsor->category))}},
                        std::nullopt};
         };
       }});

  list.push_back({"welfare_call_due",
                  "the follow-up call after release is due and no check has been completed since release",
                  {integer("days", 30, 0, 365, "days after release the call is due")},
                  {"days_since_release", "due_date"},
                  [](const Params& p) -> Condition {
                    const auto limit = p.integer("days");
                    return [limit](const CaseContext& c) -> std::optional<Facts> {
                      auto release = released_at_least(c, limit);
                      if (!release || !checks_done_since(c.file, release->at).empty()) return std::nullopt;
                      return Facts{{{"days_since_release", std::to_string(release->days_ago)},
                                    {"due_date", day_text(release->at + days(limit))}},
                                   std::nullopt};
                    };
                  }});

  list.push_back({"shared_sponsor",
                  "the child's sponsor has several unrelated children released to them",
                  {integer("min_unrelated_children", 3, 2, 1000, "unrelated children (families) at or above which")},
                  {"count"},
                  [](const Params& p) -> Condition {
                    const auto minimum = p.integer("min_unrelated_children");
                    return [minimum](const CaseContext& c) -> std::optional<Facts> {
                      auto sponsor = c.file.release_sponsor_id();
                      if (!c.file.active_release() || !sponsor) return std::nullopt;
                      const int count = c.index.unrelated_children_with_sponsor(*sponsor);
                      if (count < minimum) return std::nullopt;
                      return Facts{{{"count", std::to_string(count)}}, std::nullopt};
                    };
                  }});

  list.push_back({"shared_address",
                  "the child's address holds several unrelated children",
                  {integer("min_unrelated_children", 3, 2, 1000, "unrelated children (families) at or above which")},
                  {"count"},
                  [](const Params& p) -> Condition {
                    const auto minimum = p.integer("min_unrelated_children");
                    return [minimum](const CaseContext& c) -> std::optional<Facts> {
                      if (!c.file.active_release() || !c.address) return std::nullopt;
                      const int count = c.index.unrelated_children_at_address(c.address->unit_key);
                      if (count < minimum) return std::nullopt;
                      return Facts{{{"count", std::to_string(count)}}, std::nullopt};
                    };
                  }});

  list.push_back({"released_without_notice_served",
                  "released for at least the days and no Notice to Appear has been served",
                  {integer("days", 90, 0, 3650, "days after release")},
                  {"days_since_release", "release_date"},
                  [](const Params& p) -> Condition {
                    const auto limit = p.integer("days");
                    return [limit](const CaseContext& c) -> std::optional<Facts> {
                      auto release = released_at_least(c, limit);
                      if (!release) return std::nullopt;
                      for (const auto& notice : c.file.notices)
                        if (notice.served()) return std::nullopt;
                      return Facts{{{"days_since_release", std::to_string(release->days_ago)},
                                    {"release_date", day_text(release->at)}},
                                   std::nullopt};
                    };
                  }});

  // The next scheduled hearing within `days`, for the two hearing rules.
  auto next_hearing = [](const CaseContext& c, std::int64_t within) -> const Hearing* {
    for (const auto& h : c.file.hearings)
      if (h.outcome == HearingOutcome::scheduled && h.scheduled_at >= c.now && h.scheduled_at <= c.now + days(within))
        return &h;
    return nullptr;
  };
  auto hearing_facts = [](const CaseContext& c, const Hearing& h) {
    return Facts{{{"hearing_date", day_text(h.scheduled_at)},
                  {"days_until_hearing", std::to_string(days_from(c.now, h.scheduled_at))},
                  {"court", h.court}},
                 h.scheduled_at};
  };

  list.push_back({"hearing_soon_address_unverified",
                  "a hearing is scheduled within the days and the child's current address is not verified",
                  {integer("days", 30, 1, 365, "days ahead")},
                  {"hearing_date", "days_until_hearing", "court"},
                  [next_hearing, hearing_facts](const Params& p) -> Condition {
                    const auto within = p.integer("days");
                    return [=](const CaseContext& c) -> std::optional<Facts> {
                      const Hearing* h = next_hearing(c, within);
                      if (!h) return std::nullopt;
                      const Address* address = c.file.current_address();
                      if (address && address->status == AddressStatus::verified) return std::nullopt;
                      return hearing_facts(c, *h);
                    };
                  }});

  list.push_back({"hearing_without_counsel",
                  "a hearing is scheduled within the days and no counsel of record is named for it",
                  {integer("days", 180, 1, 3650, "days ahead")},
                  {"hearing_date", "days_until_hearing", "court"},
                  [next_hearing, hearing_facts](const Params& p) -> Condition {
                    const auto within = p.integer("days");
                    return [=](const CaseContext& c) -> std::optional<Facts> {
                      const Hearing* h = next_hearing(c, within);
                      if (!h || h->has_counsel()) return std::nullopt;
                      return hearing_facts(c, *h);
                    };
                  }});

  list.push_back(
      {"missed_hearing",
       "the child's latest hearing ended with one of the outcomes (and nothing later is scheduled)",
       {names("outcomes", kHearingOutcomeNames, {"failed_to_appear", "in_absentia_order"}, "hearing outcomes")},
       {"hearing_date", "outcome", "court"},
       [](const Params& p) -> Condition {
         const auto outcomes = parse_names(kHearingOutcomeNames, p.list("outcomes"));
         return [outcomes](const CaseContext& c) -> std::optional<Facts> {
           if (c.file.hearings.empty()) return std::nullopt;
           const Hearing& latest = c.file.hearings.back();
           if (!contains(outcomes, latest.outcome)) return std::nullopt;
           return Facts{{{"hearing_date", day_text(latest.scheduled_at)},
                         {"outcome", std::string(enum_name(kHearingOutcomeNames, latest.outcome))},
                         {"court", latest.court}},
                        std::nullopt};
         };
       }});

  list.push_back(
      {"in_absentia_notice_to_bad_address",
       "an in-absentia order was entered and a Notice to Appear went to an address later found to have one of the "
       "statuses",
       {names("statuses", kAddressStatusNames, {"invalid", "undeliverable"}, "address statuses")},
       {"order_date", "address_status"},
       [](const Params& p) -> Condition {
         const auto statuses = parse_names(kAddressStatusNames, p.list("statuses"));
         return [statuses](const CaseContext& c) -> std::optional<Facts> {
           const Hearing* order = nullptr;
           for (const auto& h : c.file.hearings)
             if (h.outcome == HearingOutcome::in_absentia_order) order = &h;
           if (!order) return std::nullopt;
           for (const auto& notice : c.file.notices) {
             if (!notice.served_to_address_id) continue;
             const Address* sent_to = c.file.address(*notice.served_to_address_id);
             if (sent_to && contains(statuses, sent_to->status))
               return Facts{{{"order_date", day_text(order->scheduled_at)},
                             {"address_status", std::string(enum_name(kAddressStatusNames, sent_to->status))}},
                            std::nullopt};
           }
           return std::nullopt;
         };
       }});

  list.push_back(
      {"address_missing_or_invalid",
       "a released child has no address, or the current one has one of the statuses or structural defects",
       {names("statuses", kAddressStatusNames, {"invalid", "undeliverable"}, "address statuses"),
        names("defects", kDefectNames, {"no_house_number", "po_box", "zip_state_mismatch", "zip_unknown_prefix"},
              "structural defects (docs/triage.md)")},
       {"problem", "problema"},
       [](const Params& p) -> Condition {
         const auto statuses = parse_names(kAddressStatusNames, p.list("statuses"));
         const auto defects = parse_names(kDefectNames, p.list("defects"));
         return [statuses, defects](const CaseContext& c) -> std::optional<Facts> {
           if (!c.file.active_release()) return std::nullopt;
           const Address* address = c.file.current_address();
           if (!address) return problem("no address is on record", "no hay ninguna dirección registrada");
           if (contains(statuses, address->status))
             return problem(
                 "the address is marked " + std::string(enum_name(kAddressStatusNames, address->status)),
                 "la dirección está marcada como " + std::string(enum_name(kAddressStatusNames, address->status)));
           for (const auto& defect : c.address->defects)
             if (contains(defects, defect.kind)) return problem(defect.detail, defect.detail_es);
           return std::nullopt;
         };
       }});

  list.push_back(
      {"address_missing_unit",
       "the current address is marked missing_unit, names a unit type without a number, or gives no unit in a "
       "building where several households live",
       {integer("min_households", 2, 2, 1000, "households at one street address at or above which a unit is needed")},
       {"problem", "problema"},
       [](const Params& p) -> Condition {
         const auto minimum = p.integer("min_households");
         return [minimum](const CaseContext& c) -> std::optional<Facts> {
           if (!c.file.active_release() || !c.address) return std::nullopt;
           const Address* address = c.file.current_address();
           if (address->status == AddressStatus::missing_unit)
             return problem("the address is marked as missing its unit", "la dirección está marcada como sin unidad");
           if (c.address->has(AddressDefectKind::unit_in_line_without_number) ||
               c.address->has(AddressDefectKind::unit_not_recognized))
             return problem("the unit is incomplete or not recognized", "la unidad está incompleta o no se reconoce");
           if (!c.address->unit.empty()) return std::nullopt;
           const int households = c.index.households_at_building(c.address->street_key);
           if (households < minimum) return std::nullopt;
           return problem(std::to_string(households) + " households share this street address",
                          std::to_string(households) + " hogares comparten esta dirección");
         };
       }});
  return list;
}

}  // namespace

const std::vector<PredicateSpec>& predicates() {
  static const std::vector<PredicateSpec> list = build();
  return list;
}

const PredicateSpec* find_predicate(std::string_view name) {
  for (const auto& spec : predicates())
    if (spec.name == name) return &spec;
  return nullptr;
}

}  // namespace accompany
