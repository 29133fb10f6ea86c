-- Accompany schema 1 (SQLite): case records and the hash-chained audit log.
-- Dates are 'YYYY-MM-DD' text; instants are UTC 'YYYY-MM-DDTHH:MM:SSZ' text.

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  fields TEXT NOT NULL,
  before_digest TEXT NOT NULL,
  after_digest TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);

CREATE TABLE children (
  id INTEGER PRIMARY KEY,
  a_number TEXT,
  given_names TEXT NOT NULL,
  paternal_surname TEXT NOT NULL,
  maternal_surname TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  birth_precision TEXT NOT NULL,
  estimated_age_years INTEGER,
  estimated_on TEXT,
  sex TEXT NOT NULL,
  country_of_birth TEXT NOT NULL,
  languages TEXT NOT NULL,
  interpreter_needed INTEGER NOT NULL CHECK (interpreter_needed IN (0, 1))
);
CREATE UNIQUE INDEX children_a_number ON children (a_number) WHERE a_number IS NOT NULL;

CREATE TABLE sponsors (
  id INTEGER PRIMARY KEY,
  given_names TEXT NOT NULL,
  paternal_surname TEXT NOT NULL,
  maternal_surname TEXT NOT NULL,
  category TEXT NOT NULL,
  relationship TEXT NOT NULL,
  phone TEXT
);

CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  sponsor_id INTEGER REFERENCES sponsors (id),
  line TEXT NOT NULL,
  unit TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  zip TEXT NOT NULL,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  first_confirmed TEXT,
  last_confirmed TEXT
);
CREATE INDEX addresses_child ON addresses (child_id);

CREATE TABLE custody_events (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  kind TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  location TEXT NOT NULL,
  sponsor_id INTEGER REFERENCES sponsors (id)
);
CREATE INDEX custody_events_child ON custody_events (child_id);

CREATE TABLE notices (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  issued_on TEXT NOT NULL,
  served_on TEXT,
  service_method TEXT,
  served_to_address_id INTEGER REFERENCES addresses (id)
);
CREATE INDEX notices_child ON notices (child_id);

CREATE TABLE hearings (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  court TEXT NOT NULL,
  scheduled_at TEXT NOT NULL,
  type TEXT NOT NULL,
  outcome TEXT NOT NULL,
  counsel_of_record TEXT NOT NULL
);
CREATE INDEX hearings_child ON hearings (child_id);

CREATE TABLE welfare_checks (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  due_on TEXT NOT NULL,
  done_at TEXT,
  method TEXT,
  outcome TEXT
);
CREATE INDEX welfare_checks_child ON welfare_checks (child_id);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  occurred_at TEXT NOT NULL,
  channel TEXT NOT NULL,
  caller_type TEXT NOT NULL,
  language TEXT NOT NULL,
  category TEXT NOT NULL,
  narrative TEXT NOT NULL,
  outcome TEXT NOT NULL,
  child_ids TEXT NOT NULL
);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  child_id INTEGER REFERENCES children (id),
  rule TEXT NOT NULL,
  queue TEXT NOT NULL,
  reason TEXT NOT NULL,
  priority TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  assignee TEXT NOT NULL,
  closed_at TEXT,
  close_reason TEXT NOT NULL
);
CREATE INDEX tasks_child ON tasks (child_id);
CREATE INDEX tasks_queue_status ON tasks (queue, status);
