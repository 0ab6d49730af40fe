-- BoltGate schema v5 (PostgreSQL): Lightning top-ups and webhooks.
-- topups: one invoice on the gateway's node per top-up; state Open -> Paid | Expired. A paid top-up
-- credits its card once: the ledger entry carries the payment hash under a unique index, written in the
-- same transaction as the state change and the topup.paid event.
CREATE TABLE topups (
    id             TEXT PRIMARY KEY,
    card_id        TEXT NOT NULL REFERENCES cards (id),
    payment_hash   TEXT NOT NULL UNIQUE,
    bolt11         TEXT NOT NULL,
    amount_msat    BIGINT NOT NULL CHECK (amount_msat > 0),
    state          TEXT NOT NULL CHECK (state IN ('Open', 'Paid', 'Expired')),
    received_msat  BIGINT,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    paid_at        BIGINT
);
CREATE INDEX ix_topups_card ON topups (card_id, created_at);
CREATE INDEX ix_topups_open ON topups (state) WHERE state = 'Open';

ALTER TABLE ledger ADD COLUMN payment_hash TEXT;
CREATE UNIQUE INDEX ux_ledger_payment_hash ON ledger (payment_hash);

-- webhooks: a receiver URL and the event types it wants; the signing secret is encrypted with the data
-- key. from_event_id: the outbox id at creation, so a new webhook hears only what happens after it.
CREATE TABLE webhooks (
    id                TEXT PRIMARY KEY,
    url               TEXT NOT NULL,
    events            JSONB NOT NULL,
    secret_encrypted  BYTEA NOT NULL,
    from_event_id     BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    deleted_at        BIGINT
);

-- How far the fan-out has read the outbox (one row).
CREATE TABLE webhook_cursor (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id  BIGINT NOT NULL
);
INSERT INTO webhook_cursor (id, last_event_id) VALUES (1, COALESCE((SELECT MAX(id) FROM outbox_events), 0));

-- One delivery per (webhook, event): the unique pair makes each event reach each webhook once. Instances
-- claim due rows with a lease; state Pending -> Delivered | Failed (gave up after a day of retries).
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id),
    event_id         BIGINT NOT NULL REFERENCES outbox_events (id),
    state            TEXT NOT NULL CHECK (state IN ('Pending', 'Delivered', 'Failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    lease_owner      TEXT,
    lease_until      BIGINT,
    last_status      BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

-- The delivery log: one row per attempt.
CREATE TABLE webhook_attempts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at BIGINT NOT NULL,
    status       BIGINT,
    error        TEXT,
    duration_ms  BIGINT NOT NULL
);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
