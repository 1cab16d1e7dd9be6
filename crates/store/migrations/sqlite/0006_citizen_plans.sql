-- The coherent plan per citizen ("én samlet plan"). `citizen_plans` holds the current
-- revision, the one a save must name to go through; every saved version stays in
-- `citizen_plan_versions` with who saved it and when, its goals and efforts in the two row
-- tables keyed by (citizen, revision). A goal row with `sub` 0 is the goal itself, 1.. its
-- sub-goals in order. Review dates are ISO text (YYYY-MM-DD), so both backends sort them alike.
CREATE TABLE citizen_plans (
    citizen_id BIGINT PRIMARY KEY REFERENCES citizens (id),
    revision BIGINT NOT NULL
);

CREATE TABLE citizen_plan_versions (
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    revision BIGINT NOT NULL,
    saved_by BIGINT REFERENCES users (id),
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (citizen_id, revision)
);

CREATE TABLE citizen_plan_goals (
    citizen_id BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    goal BIGINT NOT NULL,
    sub BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (citizen_id, revision, goal, sub),
    FOREIGN KEY (citizen_id, revision) REFERENCES citizen_plan_versions (citizen_id, revision)
);

CREATE TABLE citizen_plan_efforts (
    citizen_id BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    position BIGINT NOT NULL,
    department TEXT NOT NULL,
    what TEXT NOT NULL,
    responsible TEXT NOT NULL,
    status TEXT NOT NULL,
    review_on TEXT,
    PRIMARY KEY (citizen_id, revision, position),
    FOREIGN KEY (citizen_id, revision) REFERENCES citizen_plan_versions (citizen_id, revision)
);
-- The worklist's "plans to review" reads the current revision's open efforts by date.
CREATE INDEX citizen_plan_efforts_review ON citizen_plan_efforts (review_on);
