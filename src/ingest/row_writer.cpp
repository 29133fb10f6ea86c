#include "ingest/row_writer.h"

#include <fmt/format.h>

#include "ingest/arrival_hook.h"
#include "ingest/feed_codes.h"
#include "security/field_cipher.h"

namespace accompany {

RowWriter::RowWriter(UnitOfWork& unit, FeedKind kind, std::string file_name, std::optional<Id> file_id)
    : unit_(unit),
      kind_(kind),
      kind_name_(enum_name(kFeedKindNames, kind)),
      file_name_(std::move(file_name)),
      file_id_(file_id),
      index_(unit.sql(), file_id.has_value()) {}

Result<bool> RowWriter::claim_key(const MappedRow& row, std::int64_t line, std::optional<Id> child_id) {
  const auto& day = row.who.custody_date;
  const SqlValue params[] = {kind_name_,
                             row.row_key,
                             file_id_ ? SqlValue(*file_id_) : SqlValue(),
                             line,
                             child_id ? SqlValue(*child_id) : SqlValue(),
                             day.empty() ? SqlValue() : SqlValue(day)};
  ACCOMPANY_TRY(changed,
                unit_.sql().execute("INSERT INTO import_row_keys (kind, row_key, file_id, line, child_id, custody_day) "
                                    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                                    params));
  return changed == 1;
}

Result<bool> RowWriter::key_taken(const std::string& key) {
  const SqlValue params[] = {kind_name_, key};
  ACCOMPANY_TRY(taken, unit_.sql().query("SELECT 1 FROM import_row_keys WHERE kind = $1 AND row_key = $2", params));
  return !taken.empty();
}

Status RowWriter::add_local_id(std::string_view id_namespace, const std::string& value, std::string_view entity,
                               Id id) {
  LocalId local;
  local.id_namespace = id_namespace;
  local.local_id = value;
  local.entity = entity;
  local.entity_id = id;
  ACCOMPANY_CHECK(unit_.insert(local));
  index_.added_local_id(id_namespace, value, id);
  return {};
}

Result<RowOutcome> RowWriter::write(const MappedRow& row, std::int64_t line, std::string_view raw) {
  // Find the child first (reads only: the in-memory index, or the database), so the row key is
  // claimed with its child in one statement. The A-number decides first; then the feed's own
  // ids (UAC_ID, SUBJECT_ID) in feed order.
  std::optional<Id> child_id;
  if (row.who.a_number) {
    ACCOMPANY_TRY(child, index_.child_by_a_number(row.who.a_number->digits()));
    child_id = child;
  }
  std::vector<bool> registered(row.who.local_ids.size(), false);
  for (size_t i = 0; i < row.who.local_ids.size(); ++i) {
    ACCOMPANY_TRY(entity, index_.local_id(row.who.local_ids[i].first, row.who.local_ids[i].second));
    registered[i] = entity.has_value();
    if (!child_id && entity) child_id = entity;
  }

  bool created = false;
  if (!child_id && row.child && row.who.a_number) {
    // A new child: a row whose key was taken before must not create one, so the key is checked
    // (a read) before the child is inserted and then claimed with the new child's id.
    ACCOMPANY_TRY(taken, key_taken(row.row_key));
    if (taken) return RowOutcome::duplicate;
    ACCOMPANY_TRY(id, unit_.insert(*row.child));
    index_.added_child(row.who.a_number->digits(), id);
    child_id = id;
    created = true;
    ACCOMPANY_TRY(claimed, claim_key(row, line, child_id));
    if (!claimed)
      return make_error(ErrorCode::internal, fmt::format("{} line {}: row key {} was taken while its row was written",
                                                         file_name_, line, row.row_key));
  } else {
    ACCOMPANY_TRY(fresh, claim_key(row, line, child_id));
    if (!fresh) return RowOutcome::duplicate;
  }
  // The key was claimed without a child; one found by linkage is noted on it.
  bool found_after_claim = false;
  if (!child_id && arrival_) {
    ACCOMPANY_TRY(linked, arrival_->child_for(unit_, row, kind_name_, line));
    child_id = linked;
    found_after_claim = child_id.has_value();
  }
  if (!child_id) return pool(row, line, raw);
  // Pooled rows that followed this one to its child mapped their ids through their own writer; a
  // row of the same subject shares them, so they are looked up again where that writer put them.
  if (found_after_claim)
    for (size_t i = 0; i < row.who.local_ids.size(); ++i)
      if (!registered[i]) {
        ACCOMPANY_TRY(mapped, index_.local_id_from_database(row.who.local_ids[i].first, row.who.local_ids[i].second));
        registered[i] = mapped.has_value();
      }

  for (size_t i = 0; i < row.who.local_ids.size(); ++i)
    if (!registered[i])
      ACCOMPANY_CHECK(add_local_id(row.who.local_ids[i].first, row.who.local_ids[i].second, "children", *child_id));
  ACCOMPANY_CHECK(write_records(row, *child_id, created));
  if (found_after_claim) ACCOMPANY_CHECK(note_child(row.row_key, *child_id));
  return RowOutcome::imported;
}

Status RowWriter::note_child(const std::string& row_key, Id child_id) {
  const SqlValue params[] = {kind_name_, row_key, child_id};
  ACCOMPANY_CHECK(
      unit_.sql().execute("UPDATE import_row_keys SET child_id = $3 WHERE kind = $1 AND row_key = $2", params));
  return {};
}

Status RowWriter::attach(const MappedRow& row, Id child_id) {
  for (const auto& [id_namespace, value] : row.who.local_ids) {
    ACCOMPANY_TRY(found, index_.local_id(id_namespace, value));
    if (!found) ACCOMPANY_CHECK(add_local_id(id_namespace, value, "children", child_id));
  }
  ACCOMPANY_CHECK(write_records(row, child_id, false));
  return note_child(row.row_key, child_id);
}

Status RowWriter::write_records(const MappedRow& row, Id child_id, bool child_created) {
  // ORR knows the child's language; CBP does not. A child first seen at the border gets
  // ORR's languages and interpreter flag when the release row arrives.
  if (!child_created && row.child && kind_ == FeedKind::orr_release) {
    ACCOMPANY_TRY(existing, unit_.find<Child>(child_id));
    if (existing && (existing->languages != row.child->languages ||
                     existing->interpreter_needed != row.child->interpreter_needed)) {
      Child updated = *existing;
      updated.languages = row.child->languages;
      updated.interpreter_needed = row.child->interpreter_needed;
      ACCOMPANY_CHECK(unit_.update(updated));
    }
  }
  std::optional<Id> sponsor_id;
  if (row.sponsor) {
    ACCOMPANY_TRY(known, index_.local_id("SPONSOR_ID", row.sponsor_local_id));
    if (known) {
      sponsor_id = *known;
    } else {
      ACCOMPANY_TRY(id, unit_.insert(*row.sponsor));
      ACCOMPANY_CHECK(add_local_id("SPONSOR_ID", row.sponsor_local_id, "sponsors", id));
      sponsor_id = id;
    }
  }
  std::optional<Id> address_id;
  if (row.address) {
    Address address = *row.address;
    address.child_id = child_id;
    address.sponsor_id = sponsor_id;
    ACCOMPANY_TRY(id, unit_.insert(address));
    address_id = id;
  }
  if (row.custody) {
    CustodyEvent event = *row.custody;
    event.child_id = child_id;
    if (event.sponsor_id) event.sponsor_id = sponsor_id;
    ACCOMPANY_CHECK(unit_.insert(event));
  }
  if (row.notice) {
    NoticeToAppear notice = *row.notice;
    notice.child_id = child_id;
    if (notice.served()) notice.served_to_address_id = address_id;
    ACCOMPANY_CHECK(unit_.insert(notice));
  }
  if (row.hearing) {
    Hearing hearing = *row.hearing;
    hearing.child_id = child_id;
    ACCOMPANY_CHECK(unit_.insert(hearing));
  }
  if (row.welfare) {
    WelfareCheck check = *row.welfare;
    check.child_id = child_id;
    ACCOMPANY_CHECK(unit_.insert(check));
  }
  return {};
}

UnlinkedRow unlinked_row_of(const MappedRow& row, std::string_view kind, std::int64_t line) {
  UnlinkedRow pooled;
  pooled.kind = kind;
  pooled.line = line;
  pooled.row_key = row.row_key;
  if (row.who.a_number) pooled.a_number = row.who.a_number->digits();
  for (const auto& [id_namespace, value] : row.who.local_ids)
    pooled.local_ids += fmt::format("{}{}={}", pooled.local_ids.empty() ? "" : ";", id_namespace, value);
  pooled.given_names = normalize_name(row.who.given_names);
  pooled.paternal_surname = normalize_name(row.who.paternal_surname);
  pooled.maternal_surname = normalize_name(row.who.maternal_surname);
  pooled.birth_date = row.who.birth_date;
  pooled.sex = enum_name(kSexNames, row.who.sex);
  pooled.country = row.who.country;
  return pooled;
}

Result<RowOutcome> RowWriter::pool(const MappedRow& row, std::int64_t line, std::string_view raw) {
  UnlinkedRow pooled = unlinked_row_of(row, kind_name_, line);
  pooled.file_name = file_name_;
  pooled.raw = raw;
  ACCOMPANY_TRY(pooled_id, unit_.insert(pooled));
  if (arrival_) ACCOMPANY_CHECK(arrival_->pooled(unit_, pooled_id));
  return RowOutcome::unlinked;
}

Result<RowOutcome> RowWriter::quarantine(const Error& why, const std::string& row_key, std::int64_t line,
                                         std::string_view raw) {
  if (!row_key.empty()) {
    ACCOMPANY_TRY(taken, key_taken(row_key));
    if (taken) return RowOutcome::duplicate;
    // The raw text is stored encrypted (a fresh nonce each time), so it is compared decrypted.
    const SqlValue same[] = {kind_name_, row_key};
    ACCOMPANY_TRY(
        waiting,
        unit_.sql().query("SELECT id, raw FROM quarantine WHERE kind = $1 AND row_key = $2 AND status = 'open'", same));
    for (const auto& held : waiting) {
      ACCOMPANY_TRY(text, decrypt_field(held.text(1), fmt::format("quarantine row {} field raw", held.integer(0))));
      if (text == raw) return RowOutcome::duplicate;
    }
  }
  QuarantinedRow held;
  held.kind = kind_name_;
  held.file_name = file_name_;
  held.line = line;
  held.row_key = row_key;
  held.field = why.field.empty() ? "(row)" : why.field;
  held.value = why.value;
  held.reason = why.message.empty() ? "invalid" : why.message;
  held.raw = raw;
  held.received_at = unit_.now();
  ACCOMPANY_CHECK(unit_.insert(held));
  return RowOutcome::quarantined;
}

}  // namespace accompany
