#include "report/oversight_store.h"

#include "triage/triage_store.h"

namespace accompany {

Result<std::vector<OversightRow>> load_oversight(SqlConnection& sql, Timestamp now) {
  ACCOMPANY_TRY(population, load_population(sql, true));
  std::vector<Task> tasks = std::move(population.closed_tasks);
  for (const auto& c : population.cases) tasks.insert(tasks.end(), c.open_tasks.begin(), c.open_tasks.end());
  return oversight_by_fiscal_year(population.cases, tasks, now);
}

}  // namespace accompany
