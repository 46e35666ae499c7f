-- 0002: check-in rounds with double-blind answers, prompt rotation, per-couple round options.

-- How long a round stays open, and how long before its close a reminder goes out (NULL: none).
ALTER TABLE couples ADD COLUMN round_window INTEGER NOT NULL DEFAULT 86400;
ALTER TABLE couples ADD COLUMN reminder_before INTEGER DEFAULT 21600;

CREATE TABLE rounds (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples(id),
    prompt_id    TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    kind         TEXT    NOT NULL DEFAULT 'checkin',  -- checkin | repair (a guided step)
    step         INTEGER,                           -- repair: 1..5
    break_id     INTEGER,                           -- repair: the break it follows
    status       TEXT    NOT NULL DEFAULT 'open',   -- open | revealed | expired | cancelled
    opened_at    INTEGER NOT NULL,
    closes_at    INTEGER NOT NULL,                  -- due time of the expiry
    remind_at    INTEGER,                           -- due time of the reminder; NULL once done
    finished_at  INTEGER
);
-- At most one open round of each kind per couple, whatever the code does.
CREATE UNIQUE INDEX rounds_one_open ON rounds(couple_id, kind) WHERE status = 'open';
CREATE UNIQUE INDEX rounds_one_step ON rounds(break_id, step) WHERE break_id IS NOT NULL;
CREATE INDEX rounds_closes ON rounds(status, closes_at);
CREATE INDEX rounds_remind ON rounds(remind_at) WHERE remind_at IS NOT NULL;
CREATE INDEX rounds_history ON rounds(couple_id, status, id);

CREATE TABLE answers (
    round_id     INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    text         TEXT    NOT NULL,
    message_id   INTEGER,                           -- the Telegram message, so an edit finds it
    answered_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX answers_message ON answers(user_id, message_id);

-- Prompts a couple has had in the current pass through the library.
CREATE TABLE couple_prompts (
    couple_id    INTEGER NOT NULL REFERENCES couples(id),
    prompt_id    TEXT    NOT NULL,
    used_at      INTEGER NOT NULL,
    PRIMARY KEY (couple_id, prompt_id)
);

-- The Telegram message an outbox row became, and the round it belongs to, so a reply to a
-- prompt finds its round.
ALTER TABLE outbox ADD COLUMN message_id INTEGER;
ALTER TABLE outbox ADD COLUMN round_id INTEGER;
CREATE INDEX outbox_message ON outbox(chat_id, message_id);
CREATE INDEX outbox_chat_fifo ON outbox(chat_id, status, id);
