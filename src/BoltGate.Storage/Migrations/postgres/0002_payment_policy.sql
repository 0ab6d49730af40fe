-- BoltGate schema v2 (PostgreSQL): what the payment engine needs beyond v1.
-- cards.payment_policy: the strategy for a card's withdrawals (FastFail for POS cards, GradedRetry for
-- operator payouts). withdrawals.payment_policy overrides it for one withdrawal (NULL: the card's).
-- withdrawals.next_attempt_at: a GradedRetry withdrawal back in Reserved waits until then.
ALTER TABLE cards ADD COLUMN payment_policy TEXT NOT NULL DEFAULT 'FastFail' CHECK (payment_policy IN ('FastFail', 'GradedRetry'));
ALTER TABLE withdrawals ADD COLUMN payment_policy TEXT CHECK (payment_policy IS NULL OR payment_policy IN ('FastFail', 'GradedRetry'));
ALTER TABLE withdrawals ADD COLUMN next_attempt_at BIGINT;
CREATE INDEX ix_withdrawals_lease ON withdrawals (state, lease_until);
