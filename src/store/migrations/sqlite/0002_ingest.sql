-- Accompany schema 2 (SQLite): feed import: file digests, row keys, quarantine, unlinked pool, local ids.

-- Bookkeeping (not audited row by row; each import run is an audit event): one row per imported file.
CREATE TABLE import_files (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  digest TEXT NOT NULL UNIQUE,
  imported_at TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  imported INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  quarantined INTEGER NOT NULL,
  unlinked INTEGER NOT NULL
);

-- Bookkeeping: every row key already taken in, so a row seen again is a duplicate.
CREATE TABLE import_row_keys (
  kind TEXT NOT NULL,
  row_key TEXT NOT NULL,
  file_id INTEGER REFERENCES import_files (id),
  line INTEGER NOT NULL,
  PRIMARY KEY (kind, row_key)
) WITHOUT ROWID;

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  line INTEGER NOT NULL,
  row_key TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw TEXT NOT NULL,
  status TEXT NOT NULL,
  resolution TEXT NOT NULL,
  resolved_by TEXT NOT NULL,
  received_at TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX quarantine_status ON quarantine (status, kind);
CREATE INDEX quarantine_key ON quarantine (kind, row_key);

CREATE TABLE unlinked_rows (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  line INTEGER NOT NULL,
  row_key TEXT NOT NULL,
  a_number TEXT NOT NULL,
  local_ids TEXT NOT NULL,
  given_names TEXT NOT NULL,
  paternal_surname TEXT NOT NULL,
  maternal_surname TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  sex TEXT NOT NULL,
  country TEXT NOT NULL,
  raw TEXT NOT NULL,
  status TEXT NOT NULL,
  child_id INTEGER REFERENCES children (id)
);
CREATE INDEX unlinked_rows_status ON unlinked_rows (status, kind);
CREATE INDEX unlinked_rows_a_number ON unlinked_rows (a_number);

CREATE TABLE local_ids (
  id INTEGER PRIMARY KEY,
  id_namespace TEXT NOT NULL,
  local_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL
);
CREATE UNIQUE INDEX local_ids_key ON local_ids (id_namespace, local_id);
