-- The audit log becomes append-only and hash-chained.
--
-- Every row written from now on stores `prev_hash` (the hash of the row before it, or 64
-- zeros for the first) and `hash` = SHA-256 over prev_hash and the row's own fields (see
-- `indsats_store::audit::chain_hash`). `audit_head` holds the chain's end: how many rows
-- are chained and the last hash. Each append updates it first, which makes concurrent
-- appends queue up, and `indsats audit verify` checks the rows against it, so a row
-- removed from the end is noticed as well as one edited or removed in the middle.
--
-- Rows written before this migration keep NULL hashes. They cannot be chained here:
-- SQLite's SQL has no SHA-256, and the rows were never protected, so hashing them now would
-- only vouch for whatever they say today. They stay readable, are protected against UPDATE
-- and DELETE from now on like every row, and their number is fixed in
-- `audit_head.legacy_rows`; verify reports them as older rows outside the chain and
-- fails if their number changes or if an unchained row appears after the chain has begun.
--
-- The same meaning as migrations/postgres/0003_audit_chain.sql.

ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    chained_rows BIGINT NOT NULL CHECK (chained_rows >= 0),
    last_hash TEXT NOT NULL,
    legacy_rows BIGINT NOT NULL CHECK (legacy_rows >= 0)
);
INSERT INTO audit_head (id, chained_rows, last_hash, legacy_rows)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', (SELECT COUNT(*) FROM audit_log));

-- The application never changes or removes an audit row; the database refuses to.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;

-- Every new row is part of the chain.
CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log
WHEN NEW.prev_hash IS NULL OR NEW.hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'audit_log rows must carry prev_hash and hash');
END;
