-- BoltGate schema v1 (SQLite). Times are unix milliseconds (UTC) from the gateway's TimeProvider;
-- money is integer millisatoshi; booleans are 0/1. The invariants live here: balance >= 0,
-- one k1 per tap, one withdrawal per k1 and per payment hash.
CREATE TABLE cards (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    uid                 TEXT UNIQUE,
    key_version         INTEGER NOT NULL,
    key_source          TEXT NOT NULL CHECK (key_source IN ('deterministic', 'imported')),
    keys_encrypted      BLOB,
    counter             INTEGER NOT NULL DEFAULT -1,
    balance_msat        INTEGER NOT NULL DEFAULT 0 CHECK (balance_msat >= 0),
    per_tap_limit_msat  INTEGER CHECK (per_tap_limit_msat IS NULL OR per_tap_limit_msat >= 0),
    daily_limit_msat    INTEGER CHECK (daily_limit_msat IS NULL OR daily_limit_msat >= 0),
    enabled             INTEGER NOT NULL DEFAULT 1,
    pin_hash            TEXT,
    pin_limit_msat      INTEGER,
    pin_failures        INTEGER NOT NULL DEFAULT 0,
    locked              INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE k1_sessions (
    k1          TEXT PRIMARY KEY,
    card_id     TEXT NOT NULL REFERENCES cards (id),
    counter     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    consumed_at INTEGER,
    UNIQUE (card_id, counter)
);

CREATE TABLE withdrawals (
    id                TEXT PRIMARY KEY,
    card_id           TEXT NOT NULL REFERENCES cards (id),
    k1                TEXT NOT NULL UNIQUE,
    bolt11            TEXT NOT NULL,
    payment_hash      TEXT NOT NULL UNIQUE,
    amount_msat       INTEGER NOT NULL CHECK (amount_msat > 0),
    fee_reserve_msat  INTEGER NOT NULL CHECK (fee_reserve_msat >= 0),
    fee_msat          INTEGER,
    state             TEXT NOT NULL,
    failure_code      TEXT,
    node_message      TEXT,
    usage_day         TEXT NOT NULL,
    deadline          INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    preimage          TEXT,
    lease_owner       TEXT,
    lease_until       INTEGER,
    reserved_at       INTEGER NOT NULL,
    sending_at        INTEGER,
    in_flight_at      INTEGER,
    finished_at       INTEGER,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX ix_withdrawals_card ON withdrawals (card_id, reserved_at);
CREATE INDEX ix_withdrawals_state ON withdrawals (state);

CREATE TABLE ledger (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id        TEXT NOT NULL REFERENCES cards (id),
    kind           TEXT NOT NULL,
    amount_msat    INTEGER NOT NULL,
    withdrawal_id  TEXT REFERENCES withdrawals (id),
    note           TEXT,
    created_at     INTEGER NOT NULL
);
CREATE INDEX ix_ledger_card ON ledger (card_id, id);

CREATE TABLE daily_usage (
    card_id    TEXT NOT NULL REFERENCES cards (id),
    day        TEXT NOT NULL,
    used_msat  INTEGER NOT NULL DEFAULT 0 CHECK (used_msat >= 0),
    PRIMARY KEY (card_id, day)
);
