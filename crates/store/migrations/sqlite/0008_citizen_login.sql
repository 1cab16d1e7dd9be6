-- Citizens log in (role `borger`) and logins go through OpenID Connect.
--
-- 1. `users.role` also accepts 'borger'. SQLite cannot alter a CHECK constraint; rebuilding
--    `users` would have to copy every column some later migration may add and re-point a dozen
--    foreign keys. Widening the list is one of the changes SQLite documents as safe to make by
--    editing the stored schema text ("Making Other Kinds Of Table Schema Changes" in
--    https://sqlite.org/lang_altertable.html): every existing row still passes, nothing on disk
--    changes. `RESET` makes this connection read the new text again (`OFF` alone would leave it
--    checking the old list), and the CREATE TABLE statements below change the schema cookie,
--    so every other connection reads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '''udvalg'', ''admin''))', '''udvalg'', ''admin'', ''borger''))')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;

-- 2. A citizen's account: the user (role `borger`) bound to one case. Made at the citizen's
--    first login through the citizens' OpenID provider (or by the demo); one per citizen.
CREATE TABLE citizen_accounts (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    citizen_id BIGINT NOT NULL UNIQUE REFERENCES citizens (id),
    created_at BIGINT NOT NULL
);

-- 3. Logins under way at an OpenID provider: the random `state` (its SHA-256, as sessions
--    keep theirs), the nonce the ID token must carry and the PKCE verifier, kept here rather
--    than in the browser, so the verifier never leaves the server and each state is used once
--    (the callback deletes the row) by whichever process the callback reaches.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL CHECK (provider IN ('staff', 'citizen')),
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expires_at ON oidc_logins (expires_at);
