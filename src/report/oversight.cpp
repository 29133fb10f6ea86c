#include "report/oversight.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <map>

#include "triage/address_quality.h"

namespace accompany {
namespace {

// The inspector general counts *release* addresses "blank, undeliverable, or missing an apartment
// number": the address ORR recorded with the release (the one naming the release's sponsor), not
// whichever address came later. A later good address does not undo a defective release address.
const Address* release_address(const CaseFile& c, const CustodyEvent& release) {
  for (const auto& a : c.addresses)
    if (!release.sponsor_id || a.sponsor_id == release.sponsor_id) return &a;
  return nullptr;
}

constexpr int kHouseholdsNeedingUnit = 2;  // the default rule's min_households (rules/default.json)

bool bad_status(AddressStatus status) {
  return status == AddressStatus::missing_unit || status == AddressStatus::undeliverable ||
         status == AddressStatus::invalid;
}

// Blank, undeliverable, or missing its unit, as far as the case's own records tell: marked so
// (by ORR, by a caseworker, or by mail to that very household returned - a notice's address is
// its own record, matched by the normalized household key) or structurally defective. The one
// more way, no unit at a street address where several households live (as triage's
// address_missing_unit sees it), needs the other cases: oversight_rows looks it up.
void assess_release_address(const CaseFile& c, const CustodyEvent& release, CaseFacts& facts) {
  const Address* address = release_address(c, release);
  if (!address || bad_status(address->status)) {
    facts.address_defect = true;
    return;
  }
  const AddressAssessment assessed = assess_address(*address);
  if (!assessed.ok()) {
    facts.address_defect = true;
    return;
  }
  for (const auto& other : c.addresses)
    if (&other != address && bad_status(other.status) && assess_address(other).unit_key == assessed.unit_key) {
      facts.address_defect = true;
      return;
    }
  facts.release_unit_blank = assessed.unit.empty();
  if (facts.release_unit_blank) facts.release_street_key = assessed.street_key;
}

bool unreachable_at_follow_up(const CaseFile& c) {
  const WelfareCheck* latest = nullptr;
  for (const auto& check : c.welfare_checks)
    if (check.done() && (!latest || *check.done_at > *latest->done_at)) latest = &check;
  return latest && latest->outcome == WelfareOutcome::unreachable;
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

const char* kHeader[] = {"fiscal_year",      "released",        "without_notice_served",
                         "failed_to_appear", "address_defects", "unreachable_at_follow_up",
                         "gaps_opened",      "gaps_closed",     "median_days_to_close",
                         "overdue"};

std::vector<std::string> cells(const OversightRow& r) {
  return {fmt::format("FY{}", r.fiscal_year),
          std::to_string(r.released),
          std::to_string(r.without_notice_served),
          std::to_string(r.failed_to_appear),
          std::to_string(r.address_defects),
          std::to_string(r.unreachable_at_follow_up),
          std::to_string(r.gaps_opened),
          std::to_string(r.gaps_closed),
          r.median_days_to_close ? fmt::format("{:.1f}", *r.median_days_to_close) : "",
          std::to_string(r.overdue)};
}

}  // namespace

int fiscal_year_of(Date date) {
  const int year = static_cast<int>(date.year());
  return static_cast<unsigned>(date.month()) >= 10 ? year + 1 : year;
}

CaseFacts case_facts(const CaseFile& c) {
  CaseFacts facts;
  const CustodyEvent* first = nullptr;
  for (const auto& e : c.custody_events)
    if (e.kind == CustodyEventKind::released_to_sponsor && (!first || e.occurred_at < first->occurred_at)) first = &e;
  if (!first) return facts;
  facts.fiscal_year = fiscal_year_of(date_of(first->occurred_at));
  facts.without_notice_served =
      std::none_of(c.notices.begin(), c.notices.end(), [](const auto& n) { return n.served(); });
  facts.failed_to_appear = std::any_of(c.hearings.begin(), c.hearings.end(), [](const Hearing& h) {
    return h.outcome == HearingOutcome::failed_to_appear || h.outcome == HearingOutcome::in_absentia_order;
  });
  assess_release_address(c, *first, facts);
  facts.unreachable_at_follow_up = unreachable_at_follow_up(c);
  return facts;
}

std::optional<TaskFacts> task_facts(const Task& task) {
  if (task.rule == "manual") return std::nullopt;
  TaskFacts facts;
  facts.opened_fiscal_year = fiscal_year_of(date_of(task.opened_at));
  facts.open = task.status == TaskStatus::open;
  facts.due_at = task.due_at;
  if (task.status == TaskStatus::closed && task.closed_at) {
    facts.closed_fiscal_year = fiscal_year_of(date_of(*task.closed_at));
    facts.days_to_close = std::chrono::duration<double>(*task.closed_at - task.opened_at).count() / 86400.0;
  }
  return facts;
}

std::vector<OversightRow> oversight_rows(const std::vector<const CaseFacts*>& cases,
                                         const std::vector<const TaskFacts*>& tasks, const CaseIndex& index,
                                         Timestamp now) {
  std::map<int, OversightRow> rows;
  auto row = [&](int fy) -> OversightRow& {
    OversightRow& r = rows[fy];
    r.fiscal_year = fy;
    return r;
  };
  for (const CaseFacts* c : cases) {
    if (!c->fiscal_year) continue;
    OversightRow& r = row(c->fiscal_year);
    ++r.released;
    if (c->without_notice_served) ++r.without_notice_served;
    if (c->failed_to_appear) ++r.failed_to_appear;
    if (c->address_defect || (c->release_unit_blank &&
                              index.households_at_building(c->release_street_key) >= kHouseholdsNeedingUnit))
      ++r.address_defects;
    if (c->unreachable_at_follow_up) ++r.unreachable_at_follow_up;
  }
  std::map<int, std::vector<double>> days_to_close;
  for (const TaskFacts* task : tasks) {
    OversightRow& opened = row(task->opened_fiscal_year);
    ++opened.gaps_opened;
    if (task->open && now > task->due_at) ++opened.overdue;  // Task::overdue
    if (task->closed_fiscal_year) {
      ++row(*task->closed_fiscal_year).gaps_closed;
      days_to_close[*task->closed_fiscal_year].push_back(task->days_to_close);
    }
  }
  std::vector<OversightRow> out;
  for (auto& [fy, r] : rows) {
    r.median_days_to_close = median(days_to_close[fy]);
    out.push_back(r);
  }
  return out;
}

std::vector<OversightRow> oversight_by_fiscal_year(const std::vector<CaseFile>& cases, const std::vector<Task>& tasks,
                                                   Timestamp now) {
  CaseIndex index;
  std::vector<CaseFacts> case_list;
  case_list.reserve(cases.size());
  for (const auto& c : cases) {
    index.update(c);
    case_list.push_back(case_facts(c));
  }
  std::vector<TaskFacts> task_list;
  for (const auto& task : tasks)
    if (auto facts = task_facts(task)) task_list.push_back(*facts);
  std::vector<const CaseFacts*> case_ptrs;
  for (const auto& c : case_list) case_ptrs.push_back(&c);
  std::vector<const TaskFacts*> task_ptrs;
  for (const auto& t : task_list) task_ptrs.push_back(&t);
  return oversight_rows(case_ptrs, task_ptrs, index, now);
}

std::string oversight_csv(const std::vector<OversightRow>& rows) {
  std::string out;
  for (size_t i = 0; i < std::size(kHeader); ++i) out += fmt::format("{}{}", i ? "," : "", kHeader[i]);
  out += '\n';
  for (const auto& r : rows) {
    const auto values = cells(r);
    for (size_t i = 0; i < values.size(); ++i) out += fmt::format("{}{}", i ? "," : "", values[i]);
    out += '\n';
  }
  return out;
}

std::string oversight_table(const std::vector<OversightRow>& rows) {
  std::vector<size_t> widths;
  for (const char* h : kHeader) widths.push_back(std::string_view(h).size());
  for (const auto& r : rows) {
    const auto values = cells(r);
    for (size_t i = 0; i < values.size(); ++i) widths[i] = std::max(widths[i], values[i].size());
  }
  std::string out;
  for (size_t i = 0; i < widths.size(); ++i) out += fmt::format("{}{:>{}}", i ? "  " : "", kHeader[i], widths[i]);
  out += '\n';
  for (const auto& r : rows) {
    const auto values = cells(r);
    for (size_t i = 0; i < values.size(); ++i) out += fmt::format("{}{:>{}}", i ? "  " : "", values[i], widths[i]);
    out += '\n';
  }
  return out;
}

Status write_oversight_xlsx(const std::vector<OversightRow>& rows, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (!workbook) return make_error(ErrorCode::unavailable, fmt::format("cannot create the workbook {}", path));
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Oversight by fiscal year");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (size_t i = 0; i < std::size(kHeader); ++i)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(i), kHeader[i], bold);
  lxw_row_t line = 1;
  for (const auto& r : rows) {
    const auto values = cells(r);
    worksheet_write_string(sheet, line, 0, values[0].c_str(), nullptr);
    const std::int64_t numbers[] = {r.released,        r.without_notice_served,    r.failed_to_appear,
                                    r.address_defects, r.unreachable_at_follow_up, r.gaps_opened,
                                    r.gaps_closed};
    for (size_t i = 0; i < std::size(numbers); ++i)
      worksheet_write_number(sheet, line, static_cast<lxw_col_t>(i + 1), static_cast<double>(numbers[i]), nullptr);
    if (r.median_days_to_close) worksheet_write_number(sheet, line, 8, *r.median_days_to_close, nullptr);
    worksheet_write_number(sheet, line, 9, static_cast<double>(r.overdue), nullptr);
    ++line;
  }
  if (lxw_error error = workbook_close(workbook); error != LXW_NO_ERROR)
    return make_error(ErrorCode::unavailable, fmt::format("cannot write {}: {}", path, lxw_strerror(error)));
  return {};
}

}  // namespace accompany
