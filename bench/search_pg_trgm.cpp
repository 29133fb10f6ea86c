// Person search against PostgreSQL pg_trgm, same people and same misspelled queries, same run.
// Accompany's in-memory PersonSearchIndex and a pg_trgm GIN index (`name % $1 ORDER BY
// similarity(name, $1) DESC LIMIT 10`) answer the same name-only queries; each query's true target
// is known, so both get p50/p99 latency and recall@10. Prints a table and BENCH lines (bench/README.md).
// Usage: search_pg_trgm PEOPLE QUERIES CONNINFO [SIMILARITY_THRESHOLD=0.3]
// The people and queries are written to people.tsv / queries.tsv in the working directory, so the
// data both sides saw can be inspected (and loaded again by hand).
#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "linkage/search_index.h"
#include "linkage/text_fold.h"
#include "synthetic_people.h"

namespace accompany::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Query {
  std::string text;  // names only: pg_trgm has no notion of a birth date in free text
  Id expected = 0;
};

struct Result {
  double p50_ms = 0, p99_ms = 0, recall = 0;
  double cpu_p50_ms = 0, cpu_p99_ms = 0;  // this thread's CPU time (Accompany only: pg_trgm runs in the server)
  double min_p50_ms = 0, min_p99_ms = 0;  // per query, the fastest of several passes (Accompany only)
  double same_name_recall = 0;            // see `Found`: a hit with the target's exact name also counts
  size_t stopped_early = 0;               // Accompany only: queries whose walk hit its postings budget
  std::vector<bool> found;       // per query: the expected person was among the hits
  std::vector<double> cpu_ms;    // per query
};

// What asking one query found: the expected person, or only someone whose full name is exactly the
// expected person's (the query, made from that name, cannot tell them apart).
struct Found {
  bool target = false, same_name = false, stopped_early = false;
};

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

// Asks every query (after 20 unmeasured ones to warm caches and plans) `passes` times; `ask` says
// what the hits held. Wall time is the first pass's; the fastest pass per query is reported beside
// it, and CPU time, because the machine the benchmark runs on is shared.
template <typename Ask>
Result measure(const std::vector<Query>& queries, Ask ask, int passes) {
  for (size_t i = 0; i < std::min<size_t>(20, queries.size()); ++i) ask(queries[i]);
  std::vector<double> ms, min_ms(queries.size(), 1e300), cpu_ms(queries.size(), 1e300);
  std::vector<bool> found;
  size_t same_name = 0;
  Result r;
  for (int pass = 0; pass < passes; ++pass)
    for (size_t i = 0; i < queries.size(); ++i) {
      const auto start = Clock::now();
      const double cpu_start = thread_cpu_ms();
      const Found f = ask(queries[i]);
      const double cpu = thread_cpu_ms() - cpu_start;
      const double wall = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      min_ms[i] = std::min(min_ms[i], wall);
      cpu_ms[i] = std::min(cpu_ms[i], cpu);
      if (pass > 0) continue;
      ms.push_back(wall);
      found.push_back(f.target);
      same_name += f.target || f.same_name;
      r.stopped_early += f.stopped_early;
    }
  const auto n = static_cast<double>(queries.size());
  r.p50_ms = percentile(ms, 0.5);
  r.p99_ms = percentile(ms, 0.99);
  r.min_p50_ms = percentile(min_ms, 0.5);
  r.min_p99_ms = percentile(min_ms, 0.99);
  r.cpu_p50_ms = percentile(cpu_ms, 0.5);
  r.cpu_p99_ms = percentile(cpu_ms, 0.99);
  r.recall = static_cast<double>(std::count(found.begin(), found.end(), true)) / n;
  r.same_name_recall = static_cast<double>(same_name) / n;
  r.found = std::move(found);
  r.cpu_ms = std::move(cpu_ms);
  return r;
}

std::string full_name(const Person& p) {
  return p.maternal.empty() ? p.given + " " + p.paternal : p.given + " " + p.paternal + " " + p.maternal;
}

// Queries as an agent types them from a caller (the same mix as search_bench): misspelled, accents
// lost, surnames swapped or one dropped, given name first or surname first.
std::vector<Query> make_queries(PeopleGenerator& generator, const std::vector<Person>& people, size_t count) {
  std::uniform_int_distribution<size_t> pick(0, people.size() - 1);
  std::uniform_real_distribution<double> coin(0, 1);
  std::vector<Query> queries;
  for (size_t q = 0; q < count; ++q) {
    const size_t i = pick(generator.rng());
    const auto typed = generator.corrupted(people[i]);
    std::string text = coin(generator.rng()) < 0.5 ? full_name(typed) : typed.paternal + " " + typed.given;
    queries.push_back({std::move(text), static_cast<Id>(i + 1)});
  }
  return queries;
}

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

void exec(PGconn* db, const std::string& sql) {
  PgResult r(PQexec(db, sql.c_str()));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error(fmt::format("{}: {}", sql, PQerrorMessage(db)));
}

// COPY of id and full name (tab-separated text; the generated names hold no tab, backslash or newline).
void load_people(PGconn* db, const std::vector<Person>& people) {
  exec(db, "DROP TABLE IF EXISTS person");
  exec(db, "CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL)");
  PgResult start(PQexec(db, "COPY person (id, name) FROM STDIN"));
  if (PQresultStatus(start.get()) != PGRES_COPY_IN) throw std::runtime_error(PQerrorMessage(db));
  std::string chunk;
  for (size_t i = 0; i < people.size(); ++i) {
    chunk += fmt::format("{}\t{}\n", i + 1, full_name(people[i]));
    if (chunk.size() > (1 << 20) || i + 1 == people.size()) {
      if (PQputCopyData(db, chunk.data(), static_cast<int>(chunk.size())) != 1)
        throw std::runtime_error(PQerrorMessage(db));
      chunk.clear();
    }
  }
  if (PQputCopyEnd(db, nullptr) != 1) throw std::runtime_error(PQerrorMessage(db));
  PgResult done(PQgetResult(db));
  if (PQresultStatus(done.get()) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(db));
  while (PGresult* extra = PQgetResult(db)) PQclear(extra);
}

// Folded full name: two people with the same one cannot be told apart by a name-only query.
std::vector<std::string> folded_names(const std::vector<Person>& people) {
  std::vector<std::string> out;
  out.reserve(people.size());
  for (const auto& p : people) out.push_back(linkage::fold_text(full_name(p)));
  return out;
}

Found judge(const Query& q, const std::vector<Id>& hits, const std::vector<std::string>& names, bool stopped_early) {
  Found f;
  f.stopped_early = stopped_early;
  for (Id id : hits) {
    f.target = f.target || id == q.expected;
    f.same_name = f.same_name || names[static_cast<size_t>(id - 1)] == names[static_cast<size_t>(q.expected - 1)];
  }
  return f;
}

// `sql` takes the query text as $1 and returns at most 10 ids, best first.
Result run_pg_trgm(PGconn* db, const std::string& statement, const std::string& sql,
                   const std::vector<Query>& queries, const std::vector<std::string>& names) {
  PgResult prepared(PQprepare(db, statement.c_str(), sql.c_str(), 1, nullptr));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(db));
  auto ask = [&](const Query& q) {
    const char* values[] = {q.text.c_str()};
    PgResult r(PQexecPrepared(db, statement.c_str(), 1, values, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(db));
    std::vector<Id> ids;
    for (int row = 0; row < PQntuples(r.get()); ++row) ids.push_back(std::atoll(PQgetvalue(r.get(), row, 0)));
    return judge(q, ids, names, false);
  };
  return measure(queries, ask, 1);  // one pass: pg_trgm takes minutes per pass over 1,000,000 names
}

Result run_index(const linkage::PersonSearchIndex& index, const std::vector<Query>& queries,
                 const std::vector<std::string>& names) {
  auto ask = [&](const Query& q) {
    std::vector<Id> ids;
    linkage::SearchStats stats;
    for (const auto& hit : index.search(linkage::SearchQuery{q.text, std::nullopt, "", "", 10}, &stats))
      ids.push_back(hit.id);
    return judge(q, ids, names, stats.stopped_early);
  };
  return measure(queries, ask, 3);
}

void bench_line(const std::string& name, double value, const std::string& unit, const std::string& better,
                const std::string& baseline, double baseline_value) {
  std::printf("BENCH {\"name\":\"%s\",\"value\":%.4f,\"unit\":\"%s\",\"better\":\"%s\",\"baseline\":\"%s\",\"baseline_value\":%.4f}\n",
              name.c_str(), value, unit.c_str(), better.c_str(), baseline.c_str(), baseline_value);
}

int run(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: search_pg_trgm PEOPLE QUERIES CONNINFO [SIMILARITY_THRESHOLD=0.3]\n");
    return 2;
  }
  const size_t n = std::stoul(argv[1]), query_count = std::stoul(argv[2]);
  const std::string conninfo = argv[3], threshold = argc > 4 ? argv[4] : "0.3";

  const auto lists = NameLists::load();
  PeopleGenerator generator(lists, 42);
  std::vector<Person> people;
  people.reserve(n);
  for (size_t i = 0; i < n; ++i) people.push_back(generator.person());
  const auto queries = make_queries(generator, people, query_count);
  {
    std::ofstream people_out("people.tsv"), queries_out("queries.tsv");
    for (size_t i = 0; i < n; ++i) people_out << i + 1 << '\t' << full_name(people[i]) << '\n';
    for (const auto& q : queries) queries_out << q.text << '\t' << q.expected << '\n';
  }

  // --- Accompany's in-memory index
  const size_t rss_before = resident_bytes();
  auto index = std::make_unique<linkage::PersonSearchIndex>();
  const auto build_start = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    const auto& p = people[i];
    index->upsert({static_cast<Id>(i + 1), p.given, p.paternal + " " + p.maternal, std::nullopt, "", ""});
  }
  const double index_build_s = std::chrono::duration<double>(Clock::now() - build_start).count();
  const double index_mib = static_cast<double>(resident_bytes() - rss_before) / (1 << 20);
  const auto names = folded_names(people);
  const Result ours = run_index(*index, queries, names);
  std::fprintf(stderr, "PersonSearchIndex: built in %.1f s, %.0f MiB\n", index_build_s, index_mib);
  std::printf("Accompany: wall p50 %.3f p99 %.3f ms; fastest of 3 passes p50 %.3f p99 %.3f ms; CPU p50 %.3f p99 %.3f ms; "
              "recall@10 %.3f (same-name %.3f); %zu stopped at the postings budget\n",
              ours.p50_ms, ours.p99_ms, ours.min_p50_ms, ours.min_p99_ms, ours.cpu_p50_ms, ours.cpu_p99_ms,
              ours.recall, ours.same_name_recall, ours.stopped_early);
  // SEARCH_PG_TRGM_SLOWEST=N: the N queries that took the most CPU time, to see why.
  if (const char* slowest = std::getenv("SEARCH_PG_TRGM_SLOWEST")) {
    std::vector<size_t> order(queries.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ours.cpu_ms[a] > ours.cpu_ms[b]; });
    for (size_t i = 0; i < std::min<size_t>(std::stoul(slowest), order.size()); ++i)
      std::fprintf(stderr, "%.3f ms CPU: '%s'\n", ours.cpu_ms[order[i]], queries[order[i]].text.c_str());
  }
  // SEARCH_PG_TRGM_RANKS=1: for each query whose target Accompany missed, where the target ranked
  // (among the first 1,000) and what ranked 10th, to tell a tie among namesakes from a real miss.
  if (std::getenv("SEARCH_PG_TRGM_RANKS"))
    for (size_t i = 0; i < queries.size(); ++i) {
      if (ours.found[i]) continue;
      const auto& q = queries[i];
      const auto hits = index->search(linkage::SearchQuery{q.text, std::nullopt, "", "", 1000});
      const auto at = std::find_if(hits.begin(), hits.end(), [&](const auto& h) { return h.id == q.expected; });
      std::fprintf(stderr, "'%s' looking for '%s': rank %s score %.3f; 10th '%s' %.3f\n", q.text.c_str(),
                   full_name(people[q.expected - 1]).c_str(),
                   at == hits.end() ? "> 1000" : std::to_string(at - hits.begin() + 1).c_str(),
                   at == hits.end() ? 0.0 : at->score,
                   hits.size() >= 10 ? full_name(people[hits[9].id - 1]).c_str() : "", hits.size() >= 10 ? hits[9].score : 0.0);
    }
  // SEARCH_PG_TRGM_ASK="maria|garcia lopez": each query's best CPU time of five and postings read.
  if (const char* ask = std::getenv("SEARCH_PG_TRGM_ASK")) {
    const std::string list = ask;
    for (size_t start = 0; start < list.size();) {
      const size_t end = std::min(list.find('|', start), list.size());
      const std::string text = list.substr(start, end - start);
      start = end + 1;
      linkage::SearchStats stats;
      double best = 1e300;
      for (int round = 0; round < 5; ++round) {
        const double cpu_start = thread_cpu_ms();
        index->search(linkage::SearchQuery{text, std::nullopt, "", "", 10}, &stats);
        best = std::min(best, thread_cpu_ms() - cpu_start);
      }
      std::fprintf(stderr, "%-40s %.3f ms CPU, %zu postings read%s\n", text.c_str(), best, stats.postings_read,
                   stats.stopped_early ? " (stopped at the budget)" : "");
    }
  }
  // SEARCH_PG_TRGM_INDEX_ONLY=1: no PostgreSQL (while working on the index; the conninfo is ignored).
  if (std::getenv("SEARCH_PG_TRGM_INDEX_ONLY")) return 0;
  index.reset();

  // --- PostgreSQL pg_trgm
  std::unique_ptr<PGconn, decltype(&PQfinish)> db(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(db.get()) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(db.get()));
  exec(db.get(), "CREATE EXTENSION IF NOT EXISTS pg_trgm");
  auto pg_start = Clock::now();
  load_people(db.get(), people);
  const double copy_s = std::chrono::duration<double>(Clock::now() - pg_start).count();
  pg_start = Clock::now();
  exec(db.get(), "CREATE INDEX person_name_trgm ON person USING gin (name gin_trgm_ops)");
  exec(db.get(), "ANALYZE person");
  const double gin_s = std::chrono::duration<double>(Clock::now() - pg_start).count();
  PgResult size(PQexec(db.get(), "SELECT pg_relation_size('person_name_trgm')"));
  const double gin_mib = std::atof(PQgetvalue(size.get(), 0, 0)) / (1 << 20);
  exec(db.get(), "SET pg_trgm.similarity_threshold = " + std::to_string(std::stod(threshold)));
  std::fprintf(stderr, "pg_trgm: COPY %.1f s, GIN index %.1f s, %.0f MiB\n", copy_s, gin_s, gin_mib);
  const Result pg = run_pg_trgm(db.get(), "search",
                                 "SELECT id FROM person WHERE name % $1 ORDER BY similarity(name, $1) DESC LIMIT 10",
                                 queries, names);
  // The same over names folded by the unaccent extension: trigrams of "garcía" and "garcia" differ,
  // so plain pg_trgm loses every accent a caller's spelling drops. This is how a DBA would set
  // pg_trgm up for Spanish names: the stronger baseline. PG_TRGM_UNACCENT=0 skips it.
  Result folded;
  double folded_gin_mib = 0;
  const bool run_folded = !std::getenv("PG_TRGM_UNACCENT") || std::string(std::getenv("PG_TRGM_UNACCENT")) != "0";
  if (run_folded) {
    exec(db.get(), "CREATE EXTENSION IF NOT EXISTS unaccent");
    exec(db.get(),
         "CREATE FUNCTION folded(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
         "$$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$");
    pg_start = Clock::now();
    exec(db.get(), "CREATE INDEX person_folded_trgm ON person USING gin (folded(name) gin_trgm_ops)");
    exec(db.get(), "ANALYZE person");
    PgResult folded_size(PQexec(db.get(), "SELECT pg_relation_size('person_folded_trgm')"));
    folded_gin_mib = std::atof(PQgetvalue(folded_size.get(), 0, 0)) / (1 << 20);
    std::fprintf(stderr, "pg_trgm over unaccent: GIN index %.1f s, %.0f MiB\n",
                 std::chrono::duration<double>(Clock::now() - pg_start).count(), folded_gin_mib);
    folded = run_pg_trgm(db.get(), "search_folded",
                         "SELECT id FROM person WHERE folded(name) % folded($1) "
                         "ORDER BY similarity(folded(name), folded($1)) DESC LIMIT 10",
                         queries, names);
  }

  // SEARCH_PG_TRGM_MISSES=1: the queries one side found and the other missed, to see why.
  if (std::getenv("SEARCH_PG_TRGM_MISSES"))
    for (size_t i = 0; i < queries.size(); ++i) {
      const bool theirs = pg.found[i] || (run_folded && folded.found[i]);
      if (ours.found[i] != theirs)
        std::fprintf(stderr, "missed by %s: '%s' looking for '%s'\n", ours.found[i] ? "pg_trgm" : "Accompany",
                     queries[i].text.c_str(), full_name(people[queries[i].expected - 1]).c_str());
    }
  const double speedup_p99 = pg.p99_ms / ours.p99_ms, speedup_p50 = pg.p50_ms / ours.p50_ms;
  std::printf("\nperson search: %zu people, %zu name-only misspelled queries, pg_trgm threshold %s\n", n,
              queries.size(), threshold.c_str());
  std::printf("%-32s %9s %9s %9s %9s %9s %9s %9s\n", "", "p50 ms", "p99 ms", "min p99", "CPU p99", "recall@10",
              "same-name", "index MiB");
  std::printf("%-32s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.0f\n", "Accompany PersonSearchIndex", ours.p50_ms,
              ours.p99_ms, ours.min_p99_ms, ours.cpu_p99_ms, ours.recall, ours.same_name_recall, index_mib);
  auto baseline_row = [&](const char* label, const Result& r, double mib) {
    size_t only_ours = 0, only_theirs = 0;
    for (size_t i = 0; i < queries.size(); ++i) {
      only_ours += ours.found[i] && !r.found[i];
      only_theirs += r.found[i] && !ours.found[i];
    }
    std::printf("%-32s %9.3f %9.3f %9s %9s %9.3f %9.3f %9.0f  (targets only Accompany found: %zu, only it: %zu)\n",
                label, r.p50_ms, r.p99_ms, "-", "-", r.recall, r.same_name_recall, mib, only_ours, only_theirs);
  };
  baseline_row("PostgreSQL pg_trgm (GIN)", pg, gin_mib);
  if (run_folded) baseline_row("pg_trgm over unaccent(name)", folded, folded_gin_mib);
  std::printf("speedup: p50 %.1fx, p99 %.1fx; p99 against Accompany's fastest of 3 passes %.1fx "
              "(goal >= 30x at equal or better recall@10, p99 < 2 ms, index < 1 GiB)\n\n",
              speedup_p50, speedup_p99, pg.p99_ms / ours.min_p99_ms);
  const std::string at = fmt::format(" ({} people)", n);
  bench_line("person search p99" + at, ours.p99_ms, "ms", "lower", "pg_trgm p99", pg.p99_ms);
  bench_line("person search CPU p99" + at, ours.cpu_p99_ms, "ms", "lower", "pg_trgm p99 (wall)", pg.p99_ms);
  bench_line("person search p50" + at, ours.p50_ms, "ms", "lower", "pg_trgm p50", pg.p50_ms);
  bench_line("person search recall@10" + at, ours.recall, "", "higher", "pg_trgm recall@10", pg.recall);
  bench_line("person search same-name recall@10" + at, ours.same_name_recall, "", "higher",
             "pg_trgm same-name recall@10", pg.same_name_recall);
  if (run_folded) {
    bench_line("person search recall@10, unaccent baseline" + at, ours.recall, "", "higher",
               "pg_trgm over unaccent recall@10", folded.recall);
    bench_line("person search p99, unaccent baseline" + at, ours.p99_ms, "ms", "lower", "pg_trgm over unaccent p99",
               folded.p99_ms);
  }
  bench_line("person search speedup over pg_trgm, p99" + at, speedup_p99, "x", "higher", "goal", 30);
  bench_line("person search speedup over pg_trgm, p99 (fastest of 3 passes)" + at, pg.p99_ms / ours.min_p99_ms, "x",
             "higher", "goal", 30);
  bench_line("person search index memory" + at, index_mib, "MiB", "lower", "pg_trgm GIN index size", gin_mib);
  return 0;
}

}  // namespace
}  // namespace accompany::bench

int main(int argc, char** argv) {
  try {
    return accompany::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "search_pg_trgm: %s\n", e.what());
    return 1;
  }
}
