-- Decisions (afgørelser) on a citizen's case and complaints about them. A decision is not
-- changed once recorded: only the day it was sent is filled in later, once. A complaint is
-- keyed by its decision (one each; a remitted case gets a new decision), and Ankestyrelsen's
-- outcome is filled in once. Dates are ISO text (YYYY-MM-DD), so both backends sort alike.
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    legal_basis TEXT NOT NULL,
    subject TEXT NOT NULL,
    explanation TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    sent_on TEXT,
    decided_by BIGINT REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX decisions_citizen ON decisions (citizen_id);

CREATE TABLE appeals (
    decision_id BIGINT PRIMARY KEY REFERENCES decisions (id),
    lodged_on TEXT NOT NULL,
    lodged_by BIGINT REFERENCES users (id),
    outcome TEXT,
    outcome_on TEXT,
    outcome_by BIGINT REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
-- The managers' table counts outcomes by the day they were given.
CREATE INDEX appeals_outcome_on ON appeals (outcome_on);
