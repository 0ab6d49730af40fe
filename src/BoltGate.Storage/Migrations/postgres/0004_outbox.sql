-- BoltGate schema v4 (PostgreSQL): the outbox. One row per state change another system may want to hear
-- about (withdrawal.succeeded, card.created, ...), written in the same transaction as the change, so an
-- event exists exactly when its change committed. id orders the events; a reader keeps its cursor
-- (writers take a transaction lock before the insert, so ids commit in order and a cursor skips none).
-- payload is a small JSON object (ids, amounts in msat).
CREATE TABLE outbox_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type         TEXT NOT NULL,
    occurred_at  BIGINT NOT NULL,
    subject_id   TEXT NOT NULL,
    payload      JSONB NOT NULL
);
