-- 0003: schedules in each partner's own time zone, pauses, skipped slots, paced delivery.

ALTER TABLE users ADD COLUMN timezone TEXT;                      -- IANA name; NULL until set
ALTER TABLE users ADD COLUMN timezone_asked INTEGER NOT NULL DEFAULT 0;

CREATE TABLE schedules (
    couple_id     INTEGER PRIMARY KEY REFERENCES couples(id),
    days          INTEGER NOT NULL,            -- bit 0 = Monday … bit 6 = Sunday; 0 = off
    local_time    TEXT    NOT NULL,            -- 'HH:MM', wall-clock time in each partner's zone
    paused_until  INTEGER,                     -- UTC seconds; NULL = not paused
    skip_next     INTEGER NOT NULL DEFAULT 0,
    next_slot     TEXT,                        -- the local date ('YYYY-MM-DD') of the next check-in
    next_due_at   INTEGER,                     -- when its round opens (the earliest zone's time)
    updated_at    INTEGER NOT NULL
);
CREATE INDEX schedules_due ON schedules(next_due_at) WHERE next_due_at IS NOT NULL;

-- A slot that was not sent (downtime beyond the grace window, a pause, a skip): recorded.
CREATE TABLE skipped_slots (
    couple_id     INTEGER NOT NULL REFERENCES couples(id),
    slot          TEXT    NOT NULL,
    reason        TEXT    NOT NULL,            -- late | paused | skipped
    recorded_at   INTEGER NOT NULL,
    PRIMARY KEY (couple_id, slot)
);

-- One round per scheduled slot, however often the tick runs or restarts.
ALTER TABLE rounds ADD COLUMN slot TEXT;
CREATE UNIQUE INDEX rounds_one_per_slot ON rounds(couple_id, slot) WHERE slot IS NOT NULL;

-- When a message is meant to go out (a prompt waits for its reader's local time); not_before
-- moves with retries, due_at does not, so one chat's messages keep their order.
ALTER TABLE outbox ADD COLUMN due_at INTEGER;
UPDATE outbox SET due_at = not_before;
CREATE INDEX outbox_chat_due ON outbox(chat_id, status, due_at, id);
-- Set while a send is under way: found set at start-up, the send may have reached Telegram
-- before a crash, so its retry is counted as uncertain (a possible duplicate), not hidden.
ALTER TABLE outbox ADD COLUMN inflight INTEGER NOT NULL DEFAULT 0;
