-- BoltGate schema v4 (SQLite): the outbox. One row per state change another system may want to hear
-- about (withdrawal.succeeded, card.created, ...), written in the same transaction as the change, so an
-- event exists exactly when its change committed. id orders the events; a reader keeps its cursor.
-- payload is a small JSON object (ids, amounts in msat).
CREATE TABLE outbox_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    type         TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL,
    subject_id   TEXT NOT NULL,
    payload      TEXT NOT NULL CHECK (json_valid(payload))
);
