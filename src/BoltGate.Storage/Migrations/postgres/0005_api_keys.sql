-- BoltGate schema v5 (PostgreSQL): the operator's API.
-- api_keys: named bearer keys with scopes. Only the SHA-256 of a key is stored (keys are 256-bit random,
-- so a plain hash cannot be reversed); the look-up by hash is the comparison. scopes is a space-separated
-- list. last_used_at is refreshed at most once a minute per key; revoked_at set = the key no longer works.
-- idempotency_keys: an Idempotency-Key of a credit or debit, its request's fingerprint and the answer it
-- got, written in the same transaction as the ledger entry, so the same key twice moves money once.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    scopes        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);

CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    fingerprint  TEXT NOT NULL,
    card_id      TEXT NOT NULL REFERENCES cards (id),
    answer       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX ix_ledger_created ON ledger (created_at);
CREATE INDEX ix_withdrawals_reserved ON withdrawals (reserved_at, id);
CREATE INDEX ix_k1_sessions_card ON k1_sessions (card_id, created_at);
