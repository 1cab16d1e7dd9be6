-- Employment plans, loaded from TOML files. A version is never changed once stored;
-- loading changed text for the same plan id adds the next version.

-- One row per plan id with the number of its latest version. Loading a version first
-- increments this row, which also serialises concurrent loads of the same plan.
CREATE TABLE plans (
    plan_id TEXT PRIMARY KEY,
    latest_version BIGINT NOT NULL CHECK (latest_version >= 1)
);

CREATE TABLE plan_versions (
    plan_id TEXT NOT NULL REFERENCES plans (plan_id),
    version BIGINT NOT NULL CHECK (version >= 1),
    municipality INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    loaded_at BIGINT NOT NULL,
    loaded_by BIGINT REFERENCES users (id),
    CONSTRAINT plan_versions_pkey PRIMARY KEY (plan_id, version)
);

-- What the managers change in the application, kept per plan id (not per version) so it
-- survives a new version. `revision` counts the changes, for optimistic concurrency.
CREATE TABLE plan_action_states (
    plan_id TEXT NOT NULL,
    action_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
    revision BIGINT NOT NULL CHECK (revision >= 1),
    changed_at BIGINT NOT NULL,
    changed_by BIGINT REFERENCES users (id),
    PRIMARY KEY (plan_id, action_id)
);

CREATE TABLE plan_goal_comments (
    plan_id TEXT NOT NULL,
    goal_id TEXT NOT NULL,
    quarter TEXT NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
    text TEXT NOT NULL,
    revision BIGINT NOT NULL CHECK (revision >= 1),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    PRIMARY KEY (plan_id, quarter, goal_id)
);
