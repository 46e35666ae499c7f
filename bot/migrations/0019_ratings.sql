-- 0019: the weekly safety rating's due row, one per couple while both partners want it. It is
-- asked on `weekday` (0 = Monday … 6 = Sunday) at the couple's check-in time in each
-- partner's own zone; `next_slot` is that local date, `next_due_at` the earlier partner's
-- moment (UTC). Held (looked at again every 15 minutes, bot.holds) while check-ins are paused or a
-- break runs.
CREATE TABLE rating_schedules (
    couple_id    INTEGER PRIMARY KEY REFERENCES couples(id),
    weekday      INTEGER NOT NULL DEFAULT 6,
    next_slot    TEXT,
    next_due_at  INTEGER,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX rating_schedules_due ON rating_schedules(next_due_at);
