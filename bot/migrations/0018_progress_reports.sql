-- 0018: /progress's weekly summary and /report's two consents.
-- A person's opt-ins (each counts only when both partners chose it): the weekly summary on
-- Sunday evening, and the weekly safety rating.
ALTER TABLE users ADD COLUMN weekly_summary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN safety_rating INTEGER NOT NULL DEFAULT 0;
-- The next weekly summary of a person who opted in: Sunday 19:00 in their zone, as UTC.
CREATE TABLE weekly_summaries (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id),
    due_at       INTEGER NOT NULL
);
CREATE INDEX weekly_summaries_due ON weekly_summaries(due_at);
-- A /report waiting for both partners' consent. It holds no words, and is deleted once the
-- report was made (its PDF lives only in the outbox until sent), declined or expired.
-- status: asking (until expires_at) | agreed (both said yes: the report is made when due).
CREATE TABLE report_requests (
    -- Never reused (AUTOINCREMENT): an old request's buttons and dedupe keys must not fit a
    -- later one once the old row is deleted.
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id    INTEGER NOT NULL REFERENCES couples(id),
    asked_by     INTEGER NOT NULL REFERENCES users(id),
    weeks        INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'asking',
    created_at   INTEGER NOT NULL,
    due_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX report_requests_one ON report_requests(couple_id);
CREATE INDEX report_requests_due ON report_requests(due_at);
CREATE TABLE report_consents (
    request_id   INTEGER NOT NULL REFERENCES report_requests(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    agreed_at    INTEGER NOT NULL,
    PRIMARY KEY (request_id, user_id)
);
