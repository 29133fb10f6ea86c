#include "triage/outbox_store.h"

#include <unordered_map>

#include "triage/reminders.h"
#include "triage/triage_store.h"

namespace accompany {

Result<ReminderSummary> send_hearing_reminders(Store& store, OutboxAdapter& outbox, const AuditContext& context) {
  ReminderSummary summary;
  const Timestamp now = store.clock().now();
  Population population;
  std::unordered_map<Id, std::vector<OutboxMessage>> sent;
  std::vector<OutboxMessage> pending;
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(loaded, load_population(sql));
    population = std::move(loaded);
    const TableSpec& spec = EntityTable<OutboxMessage>::spec();
    std::string select = "SELECT id";
    for (auto column : spec.columns) select += ", " + std::string(column);
    select += " FROM outbox_messages ORDER BY id";
    return sql.for_each_row(select, {}, [&](const SqlRow& row) -> Status {
      ACCOMPANY_TRY(message, EntityTable<OutboxMessage>::from_row(row));
      if (!message.delivered_at) pending.push_back(message);
      sent[message.child_id].push_back(std::move(message));
      return {};
    });
  }));
  std::vector<OutboxMessage> fresh;
  for (const auto& file : population.cases) {
    auto due = hearing_reminders_due(file, now, sent[file.child.id]);
    for (auto& message : due) fresh.push_back(std::move(message));
  }
  if (!fresh.empty()) {
    ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
      for (auto& message : fresh) {
        ACCOMPANY_TRY(id, unit.insert(message));
        message.id = id;
      }
      return {};
    }));
  }
  summary.created = static_cast<std::int64_t>(fresh.size());
  for (auto& message : fresh) pending.push_back(std::move(message));
  for (auto& message : pending) {
    const Status delivered = outbox.deliver(message);
    if (delivered) {
      message.delivered_via = outbox.name();
      message.delivered_at = now;
      message.delivery_error.clear();
      ++summary.delivered;
    } else {
      message.delivery_error = delivered.error().describe().substr(0, 1000);
      ++summary.failed;
    }
    ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status { return unit.update(message); }));
  }
  return summary;
}

}  // namespace accompany
