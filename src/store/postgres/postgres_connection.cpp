#include "store/postgres/postgres_connection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <unordered_map>

namespace accompany {
namespace {

// Type OIDs from PostgreSQL's pg_type.h (stable since 7.x).
constexpr Oid kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700, kBool = 16;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(PGconn* connection, std::string url) : connection_(connection), url_(std::move(url)) {}
  ~PostgresConnection() override { PQfinish(connection_); }

  Dialect dialect() const override { return Dialect::postgres; }
  std::string describe() const override { return redact_postgres_url(url_); }

  Status execute_script(std::string_view sql) override {
    ACCOMPANY_CHECK(sync_pipeline());
    PgResult result(PQexec(connection_, std::string(sql).c_str()));
    return check(result.get(), sql);
  }

  Result<std::int64_t> execute(std::string_view sql, std::span<const SqlValue> params) override {
    ACCOMPANY_TRY(result, run(sql, params));
    const char* changed = PQcmdTuples(result.get());
    std::int64_t count = 0;
    if (changed && *changed) std::from_chars(changed, changed + std::char_traits<char>::length(changed), count);
    return count;
  }

  Result<std::int64_t> insert_returning_id(std::string_view sql, std::span<const SqlValue> params) override {
    ACCOMPANY_TRY(rows, query(fmt::format("{} RETURNING id", sql), params));
    if (rows.size() != 1) return failure(fmt::format("expected one row inserted (in: {})", sql), nullptr);
    return rows[0].integer(0);
  }

  Result<std::vector<SqlRow>> query(std::string_view sql, std::span<const SqlValue> params) override {
    ACCOMPANY_TRY(result, run(sql, params));
    std::vector<SqlRow> rows;
    const int count = PQntuples(result.get());
    rows.reserve(static_cast<size_t>(count));
    for (int r = 0; r < count; ++r) rows.push_back(row_of(result.get(), r));
    return rows;
  }

  Status for_each_row(std::string_view sql, std::span<const SqlValue> params, const RowCallback& on_row) override {
    ACCOMPANY_CHECK(sync_pipeline());
    ACCOMPANY_TRY(name, prepare(sql));
    ParamTexts texts(params);
    if (!PQsendQueryPrepared(connection_, name.c_str(), static_cast<int>(params.size()), texts.pointers.data(), nullptr,
                             nullptr, 0))
      return failure(PQerrorMessage(connection_), nullptr);
    PQsetSingleRowMode(connection_);
    Status outcome;
    while (PGresult* raw = PQgetResult(connection_)) {
      PgResult result(raw);
      if (!outcome) continue;  // drain what the server still sends after a failure
      const auto status = PQresultStatus(result.get());
      if (status == PGRES_SINGLE_TUPLE) {
        outcome = on_row(row_of(result.get(), 0));
      } else if (status != PGRES_TUPLES_OK) {
        outcome = check(result.get(), sql);
      }
    }
    return outcome;
  }

  Status execute_later(std::string_view sql, std::span<const SqlValue> params) override {
    ACCOMPANY_CHECK(queue(sql, params));
    if (queued_.size() >= kPipelineDepth) return sync_pipeline();
    return {};
  }

  Status begin() override { return execute_script("BEGIN"); }
  Status commit() override { return execute_script("COMMIT"); }
  Status rollback() override {
    (void)sync_pipeline();  // whatever failed there is rolled back with the rest
    return execute_script("ROLLBACK");
  }

 private:
  // Statements queued before a sync: bounds the client's and server's buffers (results are a
  // few bytes each, so blocking sends cannot deadlock against unread results).
  static constexpr size_t kPipelineDepth = 512;

  // Runs one statement and returns its result. With statements queued, it joins the queue and
  // goes with it: one round trip for the queue and the answer.
  Result<PgResult> run(std::string_view sql, std::span<const SqlValue> params) {
    if (PQpipelineStatus(connection_) != PQ_PIPELINE_OFF) {
      ACCOMPANY_CHECK(queue(sql, params));
      PgResult last;
      ACCOMPANY_CHECK(sync_pipeline(&last));
      if (!last) return failure(fmt::format("no result (in: {})", sql.substr(0, 200)), nullptr);
      return last;
    }
    ACCOMPANY_TRY(name, prepare(sql));
    ParamTexts texts(params);
    PgResult result(PQexecPrepared(connection_, name.c_str(), static_cast<int>(params.size()), texts.pointers.data(),
                                   nullptr, nullptr, 0));
    ACCOMPANY_CHECK(check(result.get(), sql));
    return result;
  }

  // Sends one statement into the pipeline (entering pipeline mode) without waiting.
  Status queue(std::string_view sql, std::span<const SqlValue> params) {
    // PQprepare is synchronous, which pipeline mode does not allow: a new statement first
    // sends what is queued.
    std::string key(sql);
    auto prepared = statements_.find(key);
    if (prepared == statements_.end()) {
      ACCOMPANY_CHECK(sync_pipeline());
      ACCOMPANY_CHECK(prepare(sql));
      prepared = statements_.find(key);
    }
    const std::string& name = prepared->second;
    if (PQpipelineStatus(connection_) == PQ_PIPELINE_OFF && !PQenterPipelineMode(connection_))
      return failure(PQerrorMessage(connection_), nullptr);
    ParamTexts texts(params);  // libpq copies the parameters into its send buffer here
    if (!PQsendQueryPrepared(connection_, name.c_str(), static_cast<int>(params.size()), texts.pointers.data(), nullptr,
                             nullptr, 0))
      return failure(PQerrorMessage(connection_), nullptr);
    queued_.push_back(&prepared->first);
    return {};
  }

  // Sends the queued statements with a sync point, reads every result and leaves pipeline
  // mode; returns the first statement's error, if any (the server skips the rest after it).
  // `last`, when given, receives the last queued statement's result.
  Status sync_pipeline(PgResult* last = nullptr) {
    if (PQpipelineStatus(connection_) == PQ_PIPELINE_OFF) return {};
    Status outcome;
    if (!PQpipelineSync(connection_)) outcome = failure(PQerrorMessage(connection_), nullptr);
    size_t done = 0;  // statements whose results ended (a null result ends each)
    for (;;) {
      PGresult* raw = PQgetResult(connection_);
      if (!raw) {
        if (PQstatus(connection_) != CONNECTION_OK) {
          if (outcome) outcome = failure(PQerrorMessage(connection_), nullptr);
          break;
        }
        if (++done > queued_.size() + 1) break;  // nothing more will come
        continue;
      }
      PgResult result(raw);
      const auto status = PQresultStatus(raw);
      if (status == PGRES_PIPELINE_SYNC) break;
      if (status == PGRES_PIPELINE_ABORTED) continue;
      if (outcome)
        outcome = check(raw, done < queued_.size() ? std::string_view(*queued_[done]) : std::string_view("(sync)"));
      if (outcome && last && done + 1 == queued_.size()) *last = std::move(result);
    }
    queued_.clear();
    if (!PQexitPipelineMode(connection_)) {
      while (PGresult* raw = PQgetResult(connection_)) PQclear(raw);
      if (!PQexitPipelineMode(connection_) && outcome) outcome = failure(PQerrorMessage(connection_), nullptr);
    }
    return outcome;
  }

  struct ParamTexts {
    explicit ParamTexts(std::span<const SqlValue> params) {
      texts.reserve(params.size());
      for (const auto& value : params) {
        if (std::holds_alternative<std::monostate>(value))
          texts.emplace_back();
        else if (const auto* integer = std::get_if<std::int64_t>(&value))
          texts.emplace_back(std::to_string(*integer));
        else if (const auto* real = std::get_if<double>(&value))
          texts.emplace_back(fmt::format("{}", *real));
        else
          texts.emplace_back(std::get<std::string>(value));
      }
      for (size_t i = 0; i < params.size(); ++i)
        pointers.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr : texts[i]->c_str());
    }
    std::vector<std::optional<std::string>> texts;
    std::vector<const char*> pointers;
  };

  static SqlRow row_of(PGresult* result, int r) {
    const int columns = PQnfields(result);
    std::vector<SqlValue> values;
    values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c)) {
        values.emplace_back(std::monostate{});
        continue;
      }
      const char* text = PQgetvalue(result, r, c);
      const size_t length = static_cast<size_t>(PQgetlength(result, r, c));
      switch (PQftype(result, c)) {
        case kInt2:
        case kInt4:
        case kInt8: {
          std::int64_t integer = 0;
          std::from_chars(text, text + length, integer);
          values.emplace_back(integer);
          break;
        }
        case kBool:
          values.emplace_back(static_cast<std::int64_t>(text[0] == 't'));
          break;
        case kFloat4:
        case kFloat8:
        case kNumeric: {
          double real = 0;
          std::from_chars(text, text + length, real);
          values.emplace_back(real);
          break;
        }
        default:
          values.emplace_back(std::string(text, length));
      }
    }
    return SqlRow(std::move(values));
  }

  Status check(PGresult* result, std::string_view sql) {
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE) return {};
    const char* message = result ? PQresultErrorMessage(result) : PQerrorMessage(connection_);
    return failure(fmt::format("{}(in: {})", message, sql.substr(0, 200)), result);
  }

  Error failure(std::string_view message, PGresult* result) {
    ErrorCode code = ErrorCode::internal;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view sqlstate = state ? state : "";
    if (sqlstate.starts_with("23"))
      code = ErrorCode::conflict;
    else if (sqlstate.starts_with("08") || sqlstate.starts_with("57") || sqlstate == "40001" || sqlstate == "40P01" ||
             PQstatus(connection_) != CONNECTION_OK)
      code = ErrorCode::unavailable;
    return make_error(code, fmt::format("PostgreSQL {}: {}", describe(), message));
  }

  Result<std::string> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto found = statements_.find(key); found != statements_.end()) return found->second;
    std::string name = "s" + std::to_string(statements_.size() + 1);
    PgResult result(PQprepare(connection_, name.c_str(), key.c_str(), 0, nullptr));
    ACCOMPANY_CHECK(check(result.get(), sql));
    statements_.emplace(std::move(key), name);
    return name;
  }

  PGconn* connection_;
  std::string url_;
  std::unordered_map<std::string, std::string> statements_;
  std::vector<const std::string*> queued_;  // the SQL of each statement sent in the open pipeline
};

void ignore_notice(void*, const char*) {}

}  // namespace

std::string redact_postgres_url(std::string_view url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string_view::npos || at == std::string_view::npos) return std::string(url);
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Result<std::unique_ptr<SqlConnection>> open_postgres_connection(const std::string& url) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return make_error(ErrorCode::unavailable,
                      fmt::format("cannot connect to PostgreSQL at {}: {}", redact_postgres_url(url), message));
  }
  PQsetNoticeProcessor(connection, ignore_notice, nullptr);
  auto wrapped = std::make_unique<PostgresConnection>(connection, url);
  // Dates must read back exactly as written ("2024-03-01") so audit digests verify.
  ACCOMPANY_CHECK(
      wrapped->execute_script("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'; "
                              "SET extra_float_digits = 3"));
  return std::unique_ptr<SqlConnection>(std::move(wrapped));
}

}  // namespace accompany
