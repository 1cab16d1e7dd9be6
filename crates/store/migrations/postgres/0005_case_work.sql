-- Case work: citizens, their target group and caseworker over time, conversations, offers.
-- The CPR number is never stored in the clear: `cpr_lookup` is a keyed hash (HMAC-SHA256,
-- hex) to find a citizen by number, `cpr_sealed` the number encrypted (XChaCha20-Poly1305)
-- with the key named in it. `birth_date` is kept in the clear for the age rules and the
-- masked form (DDMMYY-xxxx). Dates are ISO text (YYYY-MM-DD), which sorts as dates do, and
-- conversation times local ISO text (YYYY-MM-DDTHH:MM), so both backends read them alike.
CREATE TABLE citizens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cpr_lookup TEXT NOT NULL UNIQUE,
    cpr_sealed TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    language TEXT NOT NULL,
    interpreter BOOLEAN NOT NULL,
    education TEXT NOT NULL,
    wished_occupations TEXT NOT NULL,
    benefit TEXT NOT NULL,
    target_group TEXT NOT NULL,
    course_start TEXT NOT NULL,
    caseworker_id BIGINT REFERENCES users (id),
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    revision BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE INDEX citizens_caseworker ON citizens (caseworker_id, closed_on);

CREATE TABLE target_group_history (
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    target_group TEXT NOT NULL,
    from_date TEXT NOT NULL,
    set_by BIGINT REFERENCES users (id),
    set_at BIGINT NOT NULL
);
CREATE INDEX target_group_history_citizen ON target_group_history (citizen_id, from_date);

CREATE TABLE caseworker_history (
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    from_date TEXT NOT NULL,
    set_by BIGINT REFERENCES users (id),
    set_at BIGINT NOT NULL
);
CREATE INDEX caseworker_history_citizen ON caseworker_history (citizen_id, from_date);

CREATE TABLE conversations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX conversations_citizen ON conversations (citizen_id, at);

CREATE TABLE offers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    place TEXT NOT NULL,
    outcome TEXT,
    registered_by BIGINT REFERENCES users (id),
    registered_at BIGINT NOT NULL
);
CREATE INDEX offers_citizen ON offers (citizen_id, start_date);
