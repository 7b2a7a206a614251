-- Version 12: people, not keys. The staff of a comune log in to the
-- editors' console with a password; a session cookie then stands for the
-- person on the editors' API (docs/api.md, "Console authentication").
--
-- Each person acts through an identity row of their own in api_keys
-- (api_key_id): the composer's checks (role, scope, revoked), the
-- notice's contributors and four eyes, and the history all work by that
-- row's id and name, exactly as for an API key. That row's key_sha256 is
-- "staff:<uuid>", which is no SHA-256 in hex: no Bearer key can ever match
-- it. Disabling a person revokes that row too.
CREATE TABLE staff (
    id               bigserial PRIMARY KEY,
    comune_id        text NOT NULL REFERENCES comuni(id),
    login            text NOT NULL CHECK (login ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    role             text NOT NULL CHECK (role IN ('editor', 'approver', 'consortium')),
    password_hash    text NOT NULL,                -- argon2id, libsodium's string form
    alert_kind       text CHECK (alert_kind IN ('whatsapp', 'telegram')),
    alert_address    text,                         -- E.164 number or Telegram chat id
    api_key_id       bigint NOT NULL UNIQUE REFERENCES api_keys(id),
    disabled         boolean NOT NULL DEFAULT false,
    failed_logins    integer NOT NULL DEFAULT 0,   -- in the window that began at failed_since
    failed_since     timestamptz,
    locked_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (comune_id, login),
    CHECK ((alert_kind IS NULL) = (alert_address IS NULL))
);

-- A console session: only the SHA-256 of its token is stored (the cookie
-- holds the token). It ends at expires_at (absolute) or after
-- BND_CONSOLE_IDLE_S without a request (last_seen), or at once when its
-- person is disabled.
CREATE TABLE console_sessions (
    token_sha256 text PRIMARY KEY,
    staff_id     bigint NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    csrf         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen    timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX console_sessions_staff ON console_sessions (staff_id);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
