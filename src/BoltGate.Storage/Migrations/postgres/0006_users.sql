-- BoltGate schema v5 (PostgreSQL): the web console's operator accounts. The password is stored only as a
-- salted hash (ASP.NET Core's PasswordHasher, PBKDF2). failed_signins counts wrong passwords since the
-- last good one; locked_until (unix ms) refuses every sign-in, right or wrong, until it passes.
CREATE TABLE console_users (
    name            TEXT PRIMARY KEY,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    failed_signins  BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
