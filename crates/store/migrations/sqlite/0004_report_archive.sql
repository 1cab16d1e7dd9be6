-- The archive of quarterly reports made for committee meetings.
--
-- A report is made once, for one meeting, and then never changes: the rendered bytes (HTML,
-- and PDF when the build has PDF) are stored with their SHA-256, beside what they were made
-- from (plan version, quarter, register data set version), by whom and when. Later data or a
-- new plan version makes a new report, never a new text for this one. The database refuses
-- UPDATE and DELETE of an archived report; approval is a row of its own in
-- `archived_report_approvals`, one per report at most (its primary key), equally never
-- changed or removed, so a second approval is refused and the first one stands.
--
-- The same meaning as migrations/postgres/0004_report_archive.sql.

CREATE TABLE archived_reports (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL,
    plan_version BIGINT NOT NULL,
    quarter TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]Q[1-4]'),
    committee TEXT NOT NULL CHECK (length(committee) BETWEEN 1 AND 200),
    meeting_date TEXT NOT NULL CHECK (meeting_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    dataset_version TEXT,
    made_by INTEGER NOT NULL REFERENCES users (id),
    made_at BIGINT NOT NULL,
    html BLOB NOT NULL,
    html_sha256 TEXT NOT NULL CHECK (length(html_sha256) = 64),
    pdf BLOB,
    pdf_sha256 TEXT CHECK (length(pdf_sha256) = 64),
    CHECK ((pdf IS NULL) = (pdf_sha256 IS NULL)),
    FOREIGN KEY (plan_id, plan_version) REFERENCES plan_versions (plan_id, version)
);

CREATE INDEX archived_reports_by_plan ON archived_reports (plan_id, made_at);

CREATE TABLE archived_report_approvals (
    report_id INTEGER PRIMARY KEY REFERENCES archived_reports (id),
    approved_by INTEGER NOT NULL REFERENCES users (id),
    approved_at BIGINT NOT NULL
);

CREATE TRIGGER archived_reports_no_update BEFORE UPDATE ON archived_reports
BEGIN
    SELECT RAISE(ABORT, 'archived_reports are immutable: UPDATE refused');
END;

CREATE TRIGGER archived_reports_no_delete BEFORE DELETE ON archived_reports
BEGIN
    SELECT RAISE(ABORT, 'archived_reports are immutable: DELETE refused');
END;

CREATE TRIGGER archived_report_approvals_no_update BEFORE UPDATE ON archived_report_approvals
BEGIN
    SELECT RAISE(ABORT, 'archived_report_approvals are immutable: UPDATE refused');
END;

CREATE TRIGGER archived_report_approvals_no_delete BEFORE DELETE ON archived_report_approvals
BEGIN
    SELECT RAISE(ABORT, 'archived_report_approvals are immutable: DELETE refused');
END;
