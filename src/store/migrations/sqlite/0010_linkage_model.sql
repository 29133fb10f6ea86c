-- Accompany schema 10 (SQLite): the match model of the last full re-link (issue 6), so a row
-- imported later is linked on arrival with the same scoring (docs/linkage.md, "Link on arrival").
-- `model` is JSON: the prior and m/u per field and level. No child data: not audited.
CREATE TABLE linkage_models (
  id INTEGER PRIMARY KEY,
  spec TEXT NOT NULL,
  model TEXT NOT NULL,
  records INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
