-- Accompany schema 7 (sqlite): the 24/7 contact center (issue 8). Contacts gain a sub-category,
-- the caller's number (for the screen pop's look-up), the PBX call and the category's own
-- fields; calls are audited rows built from CTI events; each (call, event) is accepted once;
-- agents' states and language skills.

ALTER TABLE contacts ADD COLUMN sub_category TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN caller_number TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN call_id TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
CREATE INDEX contacts_caller_number ON contacts (caller_number) WHERE caller_number <> '';
CREATE INDEX contacts_occurred_at ON contacts (occurred_at);

CREATE TABLE calls (
  id INTEGER PRIMARY KEY,
  call_id TEXT NOT NULL UNIQUE,
  caller_number TEXT NOT NULL,
  queue TEXT NOT NULL,
  language TEXT NOT NULL,
  priority INTEGER NOT NULL,
  agent TEXT NOT NULL,
  state TEXT NOT NULL,
  joined_at TEXT NOT NULL,
  answered_at TEXT,
  ended_at TEXT,
  transfers INTEGER NOT NULL
);
CREATE INDEX calls_state ON calls (state);
CREATE INDEX calls_joined_at ON calls (joined_at);

-- One row per accepted event: a PBX that retries (timeouts, restarts) never counts twice.
CREATE TABLE cti_events (
  id INTEGER PRIMARY KEY,
  call_id TEXT NOT NULL,
  event_key TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (call_id, event_key)
);

CREATE TABLE agent_states (
  name TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  languages TEXT NOT NULL,
  since TEXT NOT NULL,
  call_id TEXT NOT NULL
);
