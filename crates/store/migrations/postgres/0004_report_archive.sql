-- The archive of quarterly reports made for committee meetings.
--
-- A report is made once, for one meeting, and then never changes: the rendered bytes (HTML,
-- and PDF when the build has PDF) are stored with their SHA-256, beside what they were made
-- from (plan version, quarter, register data set version), by whom and when. Later data or a
-- new plan version makes a new report, never a new text for this one. The database refuses
-- UPDATE, DELETE and TRUNCATE of an archived report; approval is a row of its own in
-- `archived_report_approvals`, one per report at most (its primary key), equally never
-- changed or removed, so a second approval is refused and the first one stands.
--
-- The same meaning as migrations/sqlite/0004_report_archive.sql. As for the audit log, the
-- application's role should not own these tables in production, so it cannot drop the triggers.

CREATE TABLE archived_reports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id TEXT NOT NULL,
    plan_version BIGINT NOT NULL,
    quarter TEXT NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
    committee TEXT NOT NULL CHECK (length(committee) BETWEEN 1 AND 200),
    meeting_date TEXT NOT NULL CHECK (meeting_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    dataset_version TEXT,
    made_by BIGINT NOT NULL REFERENCES users (id),
    made_at BIGINT NOT NULL,
    html BYTEA NOT NULL,
    html_sha256 TEXT NOT NULL CHECK (length(html_sha256) = 64),
    pdf BYTEA,
    pdf_sha256 TEXT CHECK (length(pdf_sha256) = 64),
    CHECK ((pdf IS NULL) = (pdf_sha256 IS NULL)),
    FOREIGN KEY (plan_id, plan_version) REFERENCES plan_versions (plan_id, version)
);

CREATE INDEX archived_reports_by_plan ON archived_reports (plan_id, made_at);

CREATE TABLE archived_report_approvals (
    report_id BIGINT PRIMARY KEY REFERENCES archived_reports (id),
    approved_by BIGINT NOT NULL REFERENCES users (id),
    approved_at BIGINT NOT NULL
);

CREATE FUNCTION archived_report_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is immutable: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE TRIGGER archived_reports_no_update BEFORE UPDATE ON archived_reports
    FOR EACH ROW EXECUTE FUNCTION archived_report_refuse_change();
CREATE TRIGGER archived_reports_no_delete BEFORE DELETE ON archived_reports
    FOR EACH ROW EXECUTE FUNCTION archived_report_refuse_change();
CREATE TRIGGER archived_reports_no_truncate BEFORE TRUNCATE ON archived_reports
    FOR EACH STATEMENT EXECUTE FUNCTION archived_report_refuse_change();

CREATE TRIGGER archived_report_approvals_no_update BEFORE UPDATE ON archived_report_approvals
    FOR EACH ROW EXECUTE FUNCTION archived_report_refuse_change();
CREATE TRIGGER archived_report_approvals_no_delete BEFORE DELETE ON archived_report_approvals
    FOR EACH ROW EXECUTE FUNCTION archived_report_refuse_change();
CREATE TRIGGER archived_report_approvals_no_truncate BEFORE TRUNCATE ON archived_report_approvals
    FOR EACH STATEMENT EXECUTE FUNCTION archived_report_refuse_change();
