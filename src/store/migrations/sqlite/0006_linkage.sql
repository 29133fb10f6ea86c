-- Accompany schema 6 (SQLite): record linkage against the store (issue 6).

-- Bookkeeping: the child a feed row was attached to (on import, or later by `link --full`), so
-- linkage can be evaluated against the generator's truth row by row.
ALTER TABLE import_row_keys ADD COLUMN child_id INTEGER REFERENCES children (id);
CREATE INDEX import_row_keys_child ON import_row_keys (child_id);

-- Bookkeeping: pooled rows that linkage found to be one person no known child stands for
-- (person = the smallest unlinked_rows.id of that person's rows). Rewritten by `link --full`.
CREATE TABLE unlinked_persons (
  unlinked_row_id INTEGER PRIMARY KEY REFERENCES unlinked_rows (id),
  person INTEGER NOT NULL
);

-- The data steward's review queue: pairs linkage was unsure of, with the score broken down per
-- field (JSON). left/right name a child (`children`) or a pooled row (`unlinked_rows`).
CREATE TABLE link_reviews (
  id INTEGER PRIMARY KEY,
  left_entity TEXT NOT NULL,
  left_id INTEGER NOT NULL,
  right_entity TEXT NOT NULL,
  right_id INTEGER NOT NULL,
  probability REAL NOT NULL,
  explanation TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT
);
CREATE UNIQUE INDEX link_reviews_pair ON link_reviews (left_entity, left_id, right_entity, right_id);
CREATE INDEX link_reviews_status ON link_reviews (status, probability);

-- Merge history: `merged_id` was found to be the same child as `survivor_id`; its case records
-- moved to the survivor (`moved`: JSON list of ["table", id] and ["import_row_keys", kind, key]).
-- The merged child's own row is kept unchanged, so an unmerge moves exactly those records back.
-- Every moved record is an audited update; the merge and the unmerge are audit events.
CREATE TABLE child_merges (
  id INTEGER PRIMARY KEY,
  survivor_id INTEGER NOT NULL REFERENCES children (id),
  merged_id INTEGER NOT NULL REFERENCES children (id),
  moved TEXT NOT NULL,
  reason TEXT NOT NULL,
  merged_by TEXT NOT NULL,
  merged_at TEXT NOT NULL,
  unmerged_by TEXT NOT NULL,
  unmerged_at TEXT
);
CREATE UNIQUE INDEX child_merges_active ON child_merges (merged_id) WHERE unmerged_at IS NULL;
