-- 0021: several workers on one database (PostgreSQL; SQLite runs one worker, same schema).
-- A send in flight is held by a lease: the worker that claimed it (`lease_token`, one per
-- worker start) until `lease_until` (epoch seconds), renewed while it works. A dead worker's
-- claims return when the lease runs out; one that lost its lease changes nothing with it.
ALTER TABLE outbox ADD COLUMN lease_token TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
-- Webhook updates handled, by id: Telegram retries a webhook it got no answer to, to any
-- worker. Kept a day (the tick purges). `seq`: the person's count of applied updates then,
-- the order they took effect in.
CREATE TABLE update_log (
    update_id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    applied_at INTEGER NOT NULL
);
CREATE INDEX update_log_person ON update_log(person_id);
CREATE INDEX update_log_applied ON update_log(applied_at);
-- One row per person: held (FOR UPDATE) while one of their updates is handled, so their
-- updates take effect one at a time whichever worker took each; the last applied update and
-- edit date decide what a late arrival may still change.
CREATE TABLE person_updates (
    person_id INTEGER PRIMARY KEY,
    last_update_id INTEGER NOT NULL DEFAULT 0,
    last_edit_date INTEGER NOT NULL DEFAULT 0,
    applied INTEGER NOT NULL DEFAULT 0
);
