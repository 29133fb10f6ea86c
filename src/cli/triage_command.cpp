// accompany triage: re-evaluates every case against the rule set and opens or closes tasks.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "store/store.h"
#include "triage/outbox_store.h"
#include "triage/triage_store.h"

namespace accompany {

void add_triage_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  struct Options {
    std::string rules;
    bool check_only = false;
    std::string outbox;
    std::string smtp_from;
    std::string smtp_gateway;
  };
  auto options = std::make_shared<Options>();
  auto* triage = app.add_subcommand(
      "triage",
      "Re-evaluate every case against the triage rules: open a task for each rule that holds, close tasks whose "
      "condition stopped holding (saying why), and print what changed");
  triage->add_option("--rules", options->rules, "A rules file to use instead of the built-in one (docs/triage.md)");
  triage->add_flag("--check-rules", options->check_only, "Only check the rules file and list its rules");
  triage->add_option("--outbox", options->outbox,
                     "Also send the hearing reminders due (30, 7 and 1 days before): a directory (one file per "
                     "message) or smtp://host:port");
  triage->add_option("--smtp-from", options->smtp_from, "Sender address for --outbox smtp://");
  triage->add_option("--smtp-gateway", options->smtp_gateway,
                     "Relay address every reminder is mailed to (the SMS or letter gateway) for --outbox smtp://");
  triage->callback([&global, &exit_code, options] {
    auto rules = load_rule_set(options->rules);
    if (!rules) {
      exit_code = report_failure(rules.error().describe());
      return;
    }
    if (options->check_only) {
      fmt::print("Rule set {} ({}), {} rules:\n", rules->version, rules->source, rules->rules.size());
      for (const auto& rule : rules->rules)
        fmt::print("  {:<34} {:<15} {:<7} due in {:>4} h  when {}\n", rule.name, rule.queue,
                   enum_name(kTaskPriorityNames, rule.priority), rule.due_within.count(), rule.predicate);
      return;
    }
    SystemClock clock;
    auto store = Store::open(resolve_database_location(global.database), clock);
    if (!store) {
      exit_code = report_failure(store.error().describe());
      return;
    }
    const bool tty = isatty(fileno(stderr));
    auto progress = [tty](std::int64_t done, std::int64_t total) {
      if (tty)
        fmt::print(stderr, "\rtriage: {} of {} cases", done, total);
      else if (done == total)
        fmt::print(stderr, "triage: {} of {} cases\n", done, total);
    };
    auto summary = run_triage(**store, *rules, {"system:triage", "triage: re-evaluate every case"}, progress);
    if (tty) fmt::print(stderr, "\n");
    if (!summary) {
      exit_code = report_failure(summary.error().describe());
      return;
    }
    if (summary->rules_changed)
      fmt::print("Rule set {} ({}) recorded in the audit log as a change of rules.\n", rules->version, rules->source);
    fmt::print(
        "Triage of {} cases: {} tasks opened, {} closed, {} unchanged, in {:.1f} s (load {:.1f} s, evaluate "
        "{:.1f} s, write {:.1f} s).\n",
        summary->cases, summary->opened, summary->closed, summary->unchanged, summary->seconds, summary->load_seconds,
        summary->evaluate_seconds, summary->write_seconds);
    if (options->outbox.empty()) return;
    auto outbox = make_outbox(options->outbox, options->smtp_from, options->smtp_gateway);
    if (!outbox) {
      exit_code = report_failure(outbox.error().describe());
      return;
    }
    auto sent = send_hearing_reminders(**store, **outbox, {"system:triage", "hearing reminders"});
    if (!sent) {
      exit_code = report_failure(sent.error().describe());
      return;
    }
    fmt::print("Hearing reminders: {} new, {} delivered through {}, {} failed (kept in the outbox to retry).\n",
               sent->created, sent->delivered, (*outbox)->name(), sent->failed);
    if (sent->failed > 0) exit_code = 1;
  });
}

}  // namespace accompany
