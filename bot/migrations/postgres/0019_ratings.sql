-- 0019 (PostgreSQL flavour: BIGINT): the weekly safety rating's due row, one per couple while both partners want it. It is
-- asked on `weekday` (0 = Monday … 6 = Sunday) at the couple's check-in time in each
-- partner's own zone; `next_slot` is that local date, `next_due_at` the earlier partner's
-- moment (UTC). Held (moved on an hour at a time) while check-ins are paused or a break runs.
CREATE TABLE rating_schedules (
    couple_id    BIGINT PRIMARY KEY REFERENCES couples(id),
    weekday      BIGINT  NOT NULL DEFAULT 6,
    next_slot    TEXT,
    next_due_at  BIGINT,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX rating_schedules_due ON rating_schedules(next_due_at);
