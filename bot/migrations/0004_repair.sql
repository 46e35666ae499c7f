-- 0004: breaks after a conflict, the double-blind "ready to talk?", and care suggestions.

CREATE TABLE breaks (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples(id),
    started_by   INTEGER NOT NULL REFERENCES users(id),
    started_at   INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,           -- due time of the nudge
    limit_at     INTEGER NOT NULL,           -- started_at + 24 h: a break never runs longer
    status       TEXT    NOT NULL DEFAULT 'cooling',  -- cooling | nudged | ready | ended
    finished_at  INTEGER
);
-- At most one break under way per couple.
CREATE UNIQUE INDEX breaks_one_active ON breaks(couple_id) WHERE status IN ('cooling', 'nudged');
CREATE INDEX breaks_due ON breaks(status, ends_at);
CREATE INDEX breaks_recent ON breaks(couple_id, started_at);

-- Who said "ready to talk" in a break; shown to nobody until both have.
CREATE TABLE break_ready (
    break_id     INTEGER NOT NULL REFERENCES breaks(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    ready_at     INTEGER NOT NULL,
    PRIMARY KEY (break_id, user_id)
);
