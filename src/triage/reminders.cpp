#include "triage/reminders.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "triage/embedded.h"

namespace accompany {
namespace {

struct Templates {
  std::vector<int> days_before;                                                         // descending: 30, 7, 1
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> by_language;  // subject, body
};

const Templates& templates() {
  static const Templates loaded = [] {
    // Compiled in and checked by the tests, so a parse failure here is a programmer error.
    const auto root = boost::json::parse(embedded_triage_file("triage/messages/hearing_reminder.json")).as_object();
    Templates t;
    for (const auto& d : root.at("days_before").as_array()) t.days_before.push_back(static_cast<int>(d.as_int64()));
    std::sort(t.days_before.rbegin(), t.days_before.rend());
    for (const char* language : {"eng", "spa"}) {
      const auto& text = root.at(language).as_object();
      t.by_language[language] = {std::string(text.at("subject").as_string()), std::string(text.at("body").as_string())};
    }
    return t;
  }();
  return loaded;
}

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values)
    for (size_t at = text.find("{" + name + "}"); at != std::string::npos; at = text.find("{" + name + "}", at))
      text.replace(at, name.size() + 2, value);
  return text;
}

}  // namespace

std::string message_language(const Child& child) {
  for (const auto& language : child.languages)
    if (templates().by_language.contains(language)) return language;
  return "spa";
}

std::string message_recipient(const CaseFile& file) {
  if (file.sponsor && file.sponsor->phone) return "sms:" + *file.sponsor->phone;
  if (const Address* a = file.current_address())
    return fmt::format("mail:{}{}{}, {} {} {}", a->line, a->unit.empty() ? "" : " ", a->unit, a->city, a->state,
                       a->zip);
  return {};
}

std::vector<OutboxMessage> hearing_reminders_due(const CaseFile& file, Timestamp now,
                                                 const std::vector<OutboxMessage>& sent) {
  std::vector<OutboxMessage> due;
  const std::string recipient = message_recipient(file);
  if (recipient.empty()) return due;
  const std::string language = message_language(file.child);
  const auto& [subject, body] = templates().by_language.find(language)->second;
  for (const auto& hearing : file.hearings) {
    if (hearing.outcome != HearingOutcome::scheduled || hearing.scheduled_at <= now) continue;
    // The closest reminder whose calendar day has come: 7 days out, the 30-day one is no longer sent.
    std::optional<int> which;
    for (int days : templates().days_before)
      if (days_between(date_of(now), date_of(hearing.scheduled_at)) <= days) which = days;
    if (!which) continue;
    const std::string kind = fmt::format("hearing_reminder_{}", *which);
    const bool already = std::any_of(
        sent.begin(), sent.end(), [&](const OutboxMessage& m) { return m.hearing_id == hearing.id && m.kind == kind; });
    if (already) continue;
    const std::string time = format_timestamp(hearing.scheduled_at).substr(11, 5);
    const std::vector<std::pair<std::string, std::string>> values{
        {"days", std::to_string(days_between(date_of(now), date_of(hearing.scheduled_at)))},
        {"date", format_date(date_of(hearing.scheduled_at))},
        {"time", time},
        {"court", hearing.court}};
    OutboxMessage message;
    message.child_id = file.child.id;
    message.hearing_id = hearing.id;
    message.kind = kind;
    message.language = language;
    message.recipient = recipient;
    message.subject = fill(subject, values);
    message.body = fill(body, values);
    message.created_at = now;
    due.push_back(std::move(message));
  }
  return due;
}

}  // namespace accompany
