// accompany link: record linkage runs and their evaluation against known truth.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "ingest/population_linkage.h"
#include "linkage/evaluation.h"
#include "linkage/febrl.h"
#include "linkage/feed_records.h"
#include "linkage/linker.h"

namespace accompany {
namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("file", path, "cannot be opened (check the path and permissions)");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void print_scores(const char* what, const linkage::Scores& s) {
  fmt::print("  {:<28} precision {:.4f}  recall {:.4f}  F1 {:.4f}  ({} right of {} predicted, {} true)\n", what,
             s.precision(), s.recall(), s.f1(), s.true_positives, s.predicted, s.actual);
}

void print_evaluation(const linkage::LinkageSpec& spec, const linkage::LinkageResult& result,
                      const std::vector<std::string>& truth) {
  fmt::print("  {} records, {} candidate pairs; EM {} in {} iterations, P(two random records match) {:.2e}\n",
             truth.size(), result.candidate_pairs, result.model.converged ? "converged" : "did NOT converge",
             result.model.iterations, result.model.prior);
  fmt::print("  time: blocking {:.2f}s, comparing {:.2f}s, estimating {:.2f}s, clustering {:.2f}s\n",
             result.seconds_blocking, result.seconds_comparing, result.seconds_estimating, result.seconds_clustering);
  std::vector<uint64_t> linked, linked_or_review;
  for (const auto& p : result.links) linked.push_back(linkage::pack_pair(p.a, p.b));
  linked_or_review = linked;
  for (const auto& p : result.review) linked_or_review.push_back(linkage::pack_pair(p.a, p.b));
  fmt::print("  auto-link at p >= {}, review at p >= {}: {} links, {} for review, {} merges refused by the guard\n",
             spec.link_probability, spec.review_probability, result.links.size(), result.review.size(),
             result.guard_refusals);
  print_scores("pairs, auto-link decisions", linkage::decision_scores(linked, truth));
  print_scores("pairs, p >= review", linkage::decision_scores(linked_or_review, truth));
  print_scores("pairs, after clustering", linkage::pair_scores(result.cluster_of, truth));
  print_scores("clusters (exact persons)", linkage::cluster_scores(result.cluster_of, truth));
}

// Reads the feeds beside `truth_path`, links them as children and compares with the truth.
Status evaluate_against_truth(const std::string& truth_path) {
  ACCOMPANY_TRY(truth_text, read_file(truth_path));
  ACCOMPANY_TRY(truth, linkage::parse_truth(truth_text));
  const auto folder = std::filesystem::path(truth_path).parent_path();
  std::vector<linkage::PersonRecord> records;
  for (const auto& feed : linkage::feed_files()) {
    const auto path = folder / feed.file_name;
    if (!std::filesystem::exists(path)) {
      fmt::print("  {} not found: that feed is left out\n", path.string());
      continue;
    }
    ACCOMPANY_TRY(text, read_file(path.string()));
    auto rows = linkage::feed_records(feed.kind, text);
    if (!rows) return rows.error().within(path.string());
    fmt::print("  {}: {} rows\n", path.string(), rows->size());
    for (auto& row : *rows) records.push_back(std::move(row));
  }
  std::vector<std::string> labels;
  size_t unlabeled = 0;
  for (const auto& r : records) {
    auto it = truth.find({r.source, r.line});
    if (it != truth.end()) {
      labels.push_back(it->second);
    } else {
      ++unlabeled;
      labels.push_back(fmt::format("no truth: {} line {}", r.source, r.line));  // its own person
    }
  }
  if (unlabeled) fmt::print("  {} rows have no line in {}: each counts as its own child\n", unlabeled, truth_path);
  const auto spec = linkage::child_linkage_spec();
  print_evaluation(spec, linkage::link_records(spec, records), labels);
  return {};
}

// Compares where the store put every feed row (after import and `link --full`) with the truth.
Status evaluate_store(Store& store, const std::string& truth_path) {
  ACCOMPANY_TRY(truth_text, read_file(truth_path));
  ACCOMPANY_TRY(evaluation, evaluate_stored_linkage(store, truth_text));
  fmt::print("  {} feed rows in the store ({} children or pooled persons); {} rows not in it (quarantined) left out\n",
             evaluation.rows, evaluation.entities, evaluation.absent);
  print_scores("pairs", evaluation.pairs);
  print_scores("clusters (exact persons)", evaluation.clusters);
  return {};
}

}  // namespace

void add_link_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* link = app.add_subcommand("link", "Link records that describe the same child, and measure how well it does");
  auto febrl_files = std::make_shared<std::vector<std::string>>();
  auto show_model = std::make_shared<bool>(false);
  auto truth_file = std::make_shared<std::string>();
  auto* febrl_option =
      link->add_option("--evaluate-febrl", *febrl_files,
                       "Link a FEBRL benchmark file (rec_id, given_name, surname, ...) and print precision, recall "
                       "and F1 of pairs and of clusters against its true matches");
  auto* truth_option = link->add_option(
      "--evaluate", *truth_file,
      "Link the agency feeds found beside TRUTH_FILE (the file names of docs/feeds.md) as children and print "
      "precision, recall and F1 of pairs and of clusters against TRUTH_FILE (feed,line,row_key,child_key)");
  auto full = std::make_shared<bool>(false);
  auto from_store = std::make_shared<bool>(false);
  auto* full_option = link->add_flag(
      "--full", *full,
      "Re-link the whole population in the database (--db): every child and every row in the unlinked pool; "
      "pooled rows that are a known child are attached to it, uncertain pairs go to the review queue");
  auto* store_option = link->add_flag(
      "--from-store", *from_store,
      "With --evaluate: compare where the database (--db) put every feed row (after import and link --full) "
      "with TRUTH_FILE, instead of linking the feed files");
  febrl_option->excludes(truth_option);
  full_option->excludes(febrl_option);
  store_option->needs(truth_option);
  link->require_option(1, 3);
  link->add_flag("--show-model", *show_model, "Also print the estimated m and u probabilities per field");
  link->callback([febrl_files, show_model, truth_file, full, from_store, &global, &exit_code] {
    if (*full || *from_store) {
      SystemClock clock;
      auto store = Store::open(resolve_database_location(global.database), clock);
      if (!store) {
        exit_code = report_failure(store.error().describe());
        return;
      }
      if (*full) {
        auto summary = link_full(**store, {"system:link", "full re-link of the population"});
        if (!summary) {
          exit_code = report_failure(summary.error().describe());
          return;
        }
        fmt::print("{}\n", summary->describe());
      }
      if (!truth_file->empty()) {
        fmt::print("{} against the store\n", *truth_file);
        auto status = evaluate_store(**store, *truth_file);
        exit_code = status ? 0 : report_failure(status.error().describe());
        return;
      }
      exit_code = 0;
      return;
    }
    if (!truth_file->empty()) {
      fmt::print("{}\n", *truth_file);
      auto status = evaluate_against_truth(*truth_file);
      exit_code = status ? 0 : report_failure(status.error().describe());
      return;
    }
    const auto spec = linkage::febrl_linkage_spec();
    for (const auto& path : *febrl_files) {
      auto text = read_file(path);
      if (!text) {
        exit_code = report_failure(text.error().describe());
        return;
      }
      auto data = linkage::parse_febrl(*text, path);
      if (!data) {
        exit_code = report_failure(data.error().describe());
        return;
      }
      fmt::print("{}\n", path);
      const auto result = linkage::link_records(spec, data->records);
      print_evaluation(spec, result, data->truth);
      if (*show_model)
        for (size_t f = 0; f < spec.fields.size(); ++f) {
          fmt::print("    {:<14}", spec.fields[f].name);
          for (size_t l = 0; l < result.model.fields[f].m.size(); ++l)
            fmt::print(" [{}] m {:.3f} u {:.4f}", l, result.model.fields[f].m[l], result.model.fields[f].u[l]);
          fmt::print("\n");
        }
    }
    exit_code = 0;
  });
}

}  // namespace accompany
