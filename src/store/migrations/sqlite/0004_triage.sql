-- Accompany schema 4 (sqlite): triage (issue 7). One open task per child and rule; tasks carry
-- their reason in Spanish too; hearing reminders and other messages to children go through an
-- audited outbox.

ALTER TABLE tasks ADD COLUMN reason_es TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX tasks_one_open_per_rule ON tasks (child_id, rule) WHERE status = 'open' AND rule <> 'manual';
CREATE INDEX tasks_status_due ON tasks (status, due_at);

CREATE TABLE outbox_messages (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  hearing_id INTEGER REFERENCES hearings (id),
  kind TEXT NOT NULL,
  language TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  delivered_via TEXT NOT NULL,
  delivered_at TEXT,
  delivery_error TEXT NOT NULL
);
CREATE UNIQUE INDEX outbox_messages_once ON outbox_messages (child_id, kind, hearing_id);
