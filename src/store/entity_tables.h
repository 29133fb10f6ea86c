// How each domain record is laid out as a table row. The row's digest (what the audit log
// remembers) is computed from exactly these values, on write and again on verify.
#pragma once

#include <string_view>
#include <vector>

#include "common/time.h"
#include "domain/address.h"
#include "domain/call.h"
#include "domain/case_events.h"
#include "domain/child.h"
#include "domain/contact.h"
#include "domain/ingest_records.h"
#include "domain/outbox_message.h"
#include "domain/sponsor.h"
#include "domain/task.h"
#include "security/accounts.h"
#include "store/sql_connection.h"

namespace accompany {

struct TableSpec {
  std::string_view name;
  std::vector<std::string_view> columns;  // every column but `id`, in row order
};

// Every table whose rows are audited, in the order `audit verify` checks them.
const std::vector<const TableSpec*>& audited_tables();

// The columns holding sensitive text encrypted at rest (security/field_cipher.h); `column`
// indexes TableSpec::columns. to_values encrypts them and from_row decrypts them.
struct EncryptedColumn {
  const TableSpec* table;
  size_t column;
};
const std::vector<EncryptedColumn>& encrypted_columns();

// Digest of one row: the table name, the id and each column's value.
std::string row_digest(const TableSpec& table, Id id, std::span<const SqlValue> values);

// Specialized for each record type: its table, its row, and its validation.
template <class T>
struct EntityTable;

#define ACCOMPANY_ENTITY_TABLE(Type)                                \
  template <>                                                       \
  struct EntityTable<Type> {                                        \
    static const TableSpec& spec();                                 \
    static std::vector<SqlValue> to_values(const Type& record);     \
    static Result<Type> from_row(const SqlRow& row); /* id first */ \
    static Status validate(const Type& record, Date today);         \
  }

ACCOMPANY_ENTITY_TABLE(Child);
ACCOMPANY_ENTITY_TABLE(Sponsor);
ACCOMPANY_ENTITY_TABLE(Address);
ACCOMPANY_ENTITY_TABLE(CustodyEvent);
ACCOMPANY_ENTITY_TABLE(NoticeToAppear);
ACCOMPANY_ENTITY_TABLE(Hearing);
ACCOMPANY_ENTITY_TABLE(WelfareCheck);
ACCOMPANY_ENTITY_TABLE(Contact);
ACCOMPANY_ENTITY_TABLE(Task);
ACCOMPANY_ENTITY_TABLE(QuarantinedRow);
ACCOMPANY_ENTITY_TABLE(UnlinkedRow);
ACCOMPANY_ENTITY_TABLE(LocalId);
ACCOMPANY_ENTITY_TABLE(User);
ACCOMPANY_ENTITY_TABLE(Referral);
ACCOMPANY_ENTITY_TABLE(SharingPolicy);
ACCOMPANY_ENTITY_TABLE(BreakGlassGrant);
ACCOMPANY_ENTITY_TABLE(OutboxMessage);
ACCOMPANY_ENTITY_TABLE(Call);

#undef ACCOMPANY_ENTITY_TABLE

}  // namespace accompany
