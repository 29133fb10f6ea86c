-- Accompany schema 3 (SQLite): accounts, sessions, login throttling, referrals to legal
-- partners, sharing policies and break-the-glass grants. Instants are UTC text.

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  organization TEXT NOT NULL,
  service INTEGER NOT NULL CHECK (service IN (0, 1)),
  password_hash TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL
);

-- Not audited: a session is a credential, not a record; only its digest is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per account ('user:NAME') and per client address ('address:IP').
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start TEXT NOT NULL
);

CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  organization TEXT NOT NULL,
  referred_at TEXT NOT NULL,
  referred_by TEXT NOT NULL
);
CREATE INDEX referrals_organization_child ON referrals (organization, child_id);

CREATE TABLE sharing_policies (
  id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  fields TEXT NOT NULL,
  purpose TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX sharing_policies_organization ON sharing_policies (organization);

CREATE TABLE break_glass_grants (
  id INTEGER PRIMARY KEY,
  child_id INTEGER NOT NULL REFERENCES children (id),
  user_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX break_glass_grants_user_child ON break_glass_grants (user_name, child_id);
