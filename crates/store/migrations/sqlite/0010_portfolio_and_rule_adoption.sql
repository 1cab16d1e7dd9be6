-- Reasoned exemptions from the portfolio rules' minimums (the 75 % rules: a kommune may
-- exempt up to 25 % of a pool by a concrete judgement), and the rule files an administrator
-- adopted. An exemption is never deleted: ending it sets `ended_by` and `ended_at`, so the
-- record of who exempted whom, when and why stays. At most one open exemption per citizen.
-- Times are Unix seconds; the reason is the caseworker's own words and is not repeated in the
-- audit log.
CREATE TABLE portfolio_exemptions (
    id INTEGER PRIMARY KEY,
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    reason TEXT NOT NULL,
    granted_by BIGINT REFERENCES users (id),
    granted_at BIGINT NOT NULL,
    ended_by BIGINT REFERENCES users (id),
    ended_at BIGINT
);
CREATE UNIQUE INDEX portfolio_exemptions_open ON portfolio_exemptions (citizen_id) WHERE ended_at IS NULL;

-- A rule file (by its id, e.g. `reform-2027`) that is not adopted in the file itself but was
-- adopted here. Adoption is not undone in the application: a row stays.
CREATE TABLE rule_adoptions (
    regime_id TEXT PRIMARY KEY,
    adopted_by BIGINT REFERENCES users (id),
    adopted_at BIGINT NOT NULL
);
