-- Citizens log in (role `borger`) and logins go through OpenID Connect. The same meaning as
-- migrations/sqlite/0008_citizen_login.sql.

-- 1. `users.role` also accepts 'borger'.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('sagsbehandler', 'virksomhedskonsulent', 'leder', 'udvalg', 'admin', 'borger'));

-- 2. A citizen's account: the user (role `borger`) bound to one case.
CREATE TABLE citizen_accounts (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    citizen_id BIGINT NOT NULL UNIQUE REFERENCES citizens (id),
    created_at BIGINT NOT NULL
);

-- 3. Logins under way at an OpenID provider (state hash, nonce, PKCE verifier), used once.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL CHECK (provider IN ('staff', 'citizen')),
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expires_at ON oidc_logins (expires_at);
