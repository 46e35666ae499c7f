-- 0020: first steps after a breach. One journey per couple at a time: offered, both say yes,
-- then roles, acknowledge, responsibility and impact, decide, each a double-blind ask (rounds
-- with subject_id = the journey). What is due (the next step, its one reminder, "not sure"
-- asked again a week later) is a column with an index, found again after any restart.

CREATE TABLE first_steps (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples(id),
    -- offered | running | done (both yes) | parted (a no) | stopped | declined
    status       TEXT    NOT NULL DEFAULT 'offered',
    offered_at   INTEGER NOT NULL,
    first_yes    INTEGER,                          -- offered: who said yes first (not an FK:
                                                   -- /delete removes the whole row)
    shared       INTEGER NOT NULL DEFAULT 0,        -- 1: both were offered it (after pairing)
    pace         TEXT    NOT NULL DEFAULT 'daily', -- daily (at local_time) | ready (at once)
    local_time   TEXT    NOT NULL DEFAULT '20:00', -- each partner's own zone
    stage        INTEGER NOT NULL DEFAULT 0,       -- 0 roles, 1 acknowledge, 2 responsibility
                                                   -- and impact, 3 decide
    roles        TEXT,                             -- after the roles reveal: split | both
    hurt_id      INTEGER,                          -- split: who was mostly hurt
    round_id     INTEGER,                          -- the stage's round, once opened
    next_at      INTEGER,                          -- due: open `stage` (see `plan`)
    -- How `stage` opens at next_at: 'later' (the tick first works out each partner's
    -- next local time, then 'local'), 'local' (next_at is the earlier partner's; each gets
    -- it at their own), 'at' (both at next_at: roles, "when we're both ready", a week-later
    -- ask, after a conflict break).
    plan         TEXT    NOT NULL DEFAULT 'later',
    remind_at    INTEGER,                          -- due: the stage's one gentle reminder
    finished_at  INTEGER
);
-- At most one journey under way per couple, whatever the code does.
CREATE UNIQUE INDEX first_steps_one_live ON first_steps(couple_id)
    WHERE status IN ('offered', 'running');
CREATE INDEX first_steps_next ON first_steps(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX first_steps_remind ON first_steps(remind_at) WHERE remind_at IS NOT NULL;
