// The oversight report, pure: per federal fiscal year (1 October - 30 September) of release,
// the inspector general's measures and the system's own follow-through on the gaps it finds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "triage/case_file.h"

namespace accompany {

struct OversightRow {
  int fiscal_year = 0;  // FY2024 = 2023-10-01 .. 2024-09-30
  // Children whose first release to a sponsor fell in the year, and of those (as of now):
  std::int64_t released = 0;
  std::int64_t without_notice_served = 0;
  std::int64_t failed_to_appear = 0;  // a hearing outcome failed_to_appear or in_absentia_order
  std::int64_t address_defects = 0;   // the release address: none, marked missing_unit/undeliverable/invalid, or a structural defect
  std::int64_t unreachable_at_follow_up = 0;  // the latest completed welfare check did not reach the child
  // Triage tasks (manual tasks aside) by the year they opened or closed:
  std::int64_t gaps_opened = 0;
  std::int64_t gaps_closed = 0;
  std::optional<double> median_days_to_close;  // of the tasks closed in the year
  std::int64_t overdue = 0;                    // opened in the year, still open and past due now
};

int fiscal_year_of(Date date);

// What the report needs of one case, so the report can be kept current one case at a time
// (oversight_cache.h). Whether the release address is in a building several households share
// depends on the other cases: that is looked up in a CaseIndex when the rows are counted.
struct CaseFacts {
  int fiscal_year = 0;  // of the first release; 0 when never released
  bool without_notice_served = false;
  bool failed_to_appear = false;
  bool address_defect = false;  // blank, marked, returned mail or structural (see oversight.cpp)
  bool release_unit_blank = false;
  std::string release_street_key;  // the release address's building, when it names no unit
  bool unreachable_at_follow_up = false;
};
CaseFacts case_facts(const CaseFile& file);

struct TaskFacts {
  int opened_fiscal_year = 0;
  std::optional<int> closed_fiscal_year;
  double days_to_close = 0;
  bool open = false;
  Timestamp due_at{};
};
// Manual tasks are not gaps the rules found: nullopt.
std::optional<TaskFacts> task_facts(const Task& task);

// Counts the rows from the facts of every case and task; `index` holds every case (it answers
// how many households share a street address).
std::vector<OversightRow> oversight_rows(const std::vector<const CaseFacts*>& cases,
                                         const std::vector<const TaskFacts*>& tasks, const CaseIndex& index,
                                         Timestamp now);

// One row per fiscal year that has a release or a task, oldest first.
std::vector<OversightRow> oversight_by_fiscal_year(const std::vector<CaseFile>& cases, const std::vector<Task>& tasks,
                                                   Timestamp now);

// "fiscal_year,released,..." with a header line.
std::string oversight_csv(const std::vector<OversightRow>& rows);
// Aligned columns for a terminal.
std::string oversight_table(const std::vector<OversightRow>& rows);
// Writes an Excel workbook (libxlsxwriter).
Status write_oversight_xlsx(const std::vector<OversightRow>& rows, const std::string& path);

}  // namespace accompany
