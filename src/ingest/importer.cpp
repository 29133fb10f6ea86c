#include "ingest/importer.h"

#include <fmt/format.h>

#include <chrono>

#include "ingest/record_reader.h"
#include "ingest/row_mapper.h"
#include "ingest/row_producer.h"
#include "ingest/row_writer.h"

namespace accompany {
namespace {

constexpr std::int64_t kProgressEveryRows = 4096;

}  // namespace

std::string ImportSummary::describe() const {
  if (already_imported)
    return fmt::format("{}: already imported (import {}, same digest {}); nothing added", file, file_id,
                       digest.substr(0, 16));
  const double rate = seconds > 0 ? static_cast<double>(rows_read) / seconds : 0.0;
  return fmt::format(
      "{}: {} rows read, {} imported, {} duplicates, {} quarantined, {} unlinked, {:.2f} s, {:.0f} rows/s", file,
      rows_read, imported, duplicates, quarantined, unlinked, seconds, rate);
}

Result<ImportSummary> import_file(Store& store, FeedKind kind, const std::string& path, const ImportOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  ImportSummary summary;
  summary.file = path;
  ACCOMPANY_TRY(digest, file_digest(path));
  summary.digest = digest;

  // The same bytes imported before: say so and write nothing.
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    const SqlValue params[] = {digest};
    ACCOMPANY_TRY(rows, sql.query("SELECT id FROM import_files WHERE digest = $1", params));
    if (!rows.empty()) {
      summary.already_imported = true;
      summary.file_id = rows[0].integer(0);
    }
    return {};
  }));
  if (summary.already_imported) return summary;

  const FeedSpec& spec = feed_spec(kind);
  ACCOMPANY_TRY(reader, RecordReader::open(path, spec.format == FeedFormat::csv));
  const AuditContext context{options.actor, fmt::format("import {} {}", spec.name, path)};

  const auto write_file = [&](UnitOfWork& unit) -> Status {
    // import_files and import_row_keys are bookkeeping written with unit.sql(): they hold no
    // case content, and the run itself is audited below with its digest and counts.
    const SqlValue file_row[] = {std::string(spec.name), path, digest, format_timestamp(unit.now())};
    ACCOMPANY_TRY(inserted, unit.sql().query(
                                "INSERT INTO import_files (kind, file_name, digest, imported_at, rows_read, imported, "
                                "duplicates, quarantined, unlinked) VALUES ($1, $2, $3, $4, 0, 0, 0, 0, 0) "
                                "RETURNING id",
                                file_row));
    summary.file_id = inserted.at(0).integer(0);
    unit.audit_inserts_in_batches();
    if (unit.sql().dialect() == Dialect::sqlite) {
      // A whole file is one transaction: a larger page cache (bounded, 64 MiB) keeps SQLite from
      // spilling dirty index pages to the WAL before COMMIT.
      // Statement journals (ON CONFLICT, multi-row writes) stay in memory instead of a temp file
      // in /var/tmp; they hold one statement's changed pages, so this stays small.
      ACCOMPANY_CHECK(unit.sql().execute_script("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY"));
    }
    RowWriter writer(unit, kind, path, summary.file_id);
    writer.link_on_arrival(options.arrival);
    RowScratch scratch;
    RawRecord record;
    const Date today = unit.today();
    const std::uint64_t reader_size = reader->file_size();

    if (spec.format != FeedFormat::json_lines) {
      ACCOMPANY_TRY(has_header, reader->next(record));
      if (!has_header)
        return make_error(ErrorCode::invalid_argument, fmt::format("{}: the file is empty; a {} file starts with "
                                                                   "its header line",
                                                                   path, spec.name));
      if (auto header = check_header(kind, record.text, scratch); !header)
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("{}: wrong header for {}: {}", path, spec.name, header.error().message));
    }
    // Rows are read and mapped on the producer's thread while this one writes them.
    RowProducer producer(*reader, kind, today);
    bool first = true;
    for (bool last = false; !last;) {
      ProducedChunk chunk = producer.next();
      last = chunk.last;
      for (ProducedRow& produced : chunk.rows) {
        // JSON lines have no header: a first line that is not a JSON object means another kind
        // of file was given, which would otherwise fill the quarantine with every one of its rows.
        if (first && spec.format == FeedFormat::json_lines && !produced.text.starts_with('{'))
          return make_error(ErrorCode::invalid_argument,
                            fmt::format("{}: not an {} file: its first line is not a JSON object", path, spec.name));
        first = false;
        ++summary.rows_read;
        RowOutcome outcome;
        if (produced.mapped) {
          ACCOMPANY_TRY(written, writer.write(*produced.mapped, produced.line, produced.text));
          outcome = written;
        } else {
          ACCOMPANY_TRY(held,
                        writer.quarantine(produced.mapped.error(), produced.row_key, produced.line, produced.text));
          outcome = held;
        }
        switch (outcome) {
          case RowOutcome::imported:
            ++summary.imported;
            break;
          case RowOutcome::duplicate:
            ++summary.duplicates;
            break;
          case RowOutcome::unlinked:
            ++summary.unlinked;
            break;
          case RowOutcome::quarantined:
            ++summary.quarantined;
            break;
        }
        if (options.on_progress && summary.rows_read % kProgressEveryRows == 0)
          options.on_progress({chunk.bytes_read, reader_size, summary.rows_read});
      }
      if (chunk.error) return *chunk.error;
    }
    const SqlValue counts[] = {summary.rows_read,   summary.imported, summary.duplicates,
                               summary.quarantined, summary.unlinked, summary.file_id};
    ACCOMPANY_CHECK(unit.sql().execute(
        "UPDATE import_files SET rows_read = $1, imported = $2, duplicates = $3, quarantined = $4, unlinked = $5 "
        "WHERE id = $6",
        counts));
    return unit.record_event("import", "import_files", summary.file_id,
                             fmt::format("kind={} file={} digest={} rows={} imported={} duplicates={} "
                                         "quarantined={} unlinked={}",
                                         spec.name, path, digest, summary.rows_read, summary.imported,
                                         summary.duplicates, summary.quarantined, summary.unlinked));
  };
  // Every reference the file's rows make is to a row read or written in this transaction, so
  // SQLite need not look each one up again (TransactOptions).
  ACCOMPANY_CHECK(store.transact(context, write_file, TransactOptions{.writer_checks_references = true}));
  if (options.on_progress) options.on_progress({reader->bytes_read(), reader->file_size(), summary.rows_read});
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace accompany
