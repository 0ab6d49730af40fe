-- BoltGate schema v3 (SQLite): card programming (Bolt Card Programmer app links).
-- programming_codes: one-time codes an operator hands out as create/program/reset links. Only the
-- SHA-256 of a code is stored; a code is spent by the one conditional UPDATE that sets used_at.
-- card_resets: a row while a card is reset (wiped through a reset link or marked by the operator);
-- the key version it was reset at, so the next deeplink program uses the next version.
CREATE TABLE programming_codes (
    code_hash           TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    per_tap_limit_msat  INTEGER CHECK (per_tap_limit_msat IS NULL OR per_tap_limit_msat >= 0),
    daily_limit_msat    INTEGER CHECK (daily_limit_msat IS NULL OR daily_limit_msat >= 0),
    uid_privacy         INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    used_at             INTEGER,
    used_for            TEXT CHECK (used_for IS NULL OR used_for IN ('create', 'program', 'reset')),
    card_id             TEXT REFERENCES cards (id)
);

CREATE TABLE card_resets (
    card_id      TEXT PRIMARY KEY REFERENCES cards (id),
    key_version  INTEGER NOT NULL,
    reset_at     INTEGER NOT NULL
);
