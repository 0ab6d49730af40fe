-- BoltGate schema v1 (PostgreSQL). Times are unix milliseconds (UTC) from the gateway's TimeProvider;
-- money is integer millisatoshi; booleans are 0/1. The invariants live here: balance >= 0,
-- one k1 per tap, one withdrawal per k1 and per payment hash.
CREATE TABLE cards (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    uid                 TEXT UNIQUE,
    key_version         BIGINT NOT NULL,
    key_source          TEXT NOT NULL CHECK (key_source IN ('deterministic', 'imported')),
    keys_encrypted      BYTEA,
    counter             BIGINT NOT NULL DEFAULT -1,
    balance_msat        BIGINT NOT NULL DEFAULT 0 CHECK (balance_msat >= 0),
    per_tap_limit_msat  BIGINT CHECK (per_tap_limit_msat IS NULL OR per_tap_limit_msat >= 0),
    daily_limit_msat    BIGINT CHECK (daily_limit_msat IS NULL OR daily_limit_msat >= 0),
    enabled             BIGINT NOT NULL DEFAULT 1,
    pin_hash            TEXT,
    pin_limit_msat      BIGINT,
    pin_failures        BIGINT NOT NULL DEFAULT 0,
    locked              BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE k1_sessions (
    k1          TEXT PRIMARY KEY,
    card_id     TEXT NOT NULL REFERENCES cards (id),
    counter     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    consumed_at BIGINT,
    UNIQUE (card_id, counter)
);

CREATE TABLE withdrawals (
    id                TEXT PRIMARY KEY,
    card_id           TEXT NOT NULL REFERENCES cards (id),
    k1                TEXT NOT NULL UNIQUE,
    bolt11            TEXT NOT NULL,
    payment_hash      TEXT NOT NULL UNIQUE,
    amount_msat       BIGINT NOT NULL CHECK (amount_msat > 0),
    fee_reserve_msat  BIGINT NOT NULL CHECK (fee_reserve_msat >= 0),
    fee_msat          BIGINT,
    state             TEXT NOT NULL,
    failure_code      TEXT,
    node_message      TEXT,
    usage_day         TEXT NOT NULL,
    deadline          BIGINT NOT NULL,
    attempts          BIGINT NOT NULL DEFAULT 0,
    preimage          TEXT,
    lease_owner       TEXT,
    lease_until       BIGINT,
    reserved_at       BIGINT NOT NULL,
    sending_at        BIGINT,
    in_flight_at      BIGINT,
    finished_at       BIGINT,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX ix_withdrawals_card ON withdrawals (card_id, reserved_at);
CREATE INDEX ix_withdrawals_state ON withdrawals (state);

CREATE TABLE ledger (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    card_id        TEXT NOT NULL REFERENCES cards (id),
    kind           TEXT NOT NULL,
    amount_msat    BIGINT NOT NULL,
    withdrawal_id  TEXT REFERENCES withdrawals (id),
    note           TEXT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX ix_ledger_card ON ledger (card_id, id);

CREATE TABLE daily_usage (
    card_id    TEXT NOT NULL REFERENCES cards (id),
    day        TEXT NOT NULL,
    used_msat  BIGINT NOT NULL DEFAULT 0 CHECK (used_msat >= 0),
    PRIMARY KEY (card_id, day)
);
