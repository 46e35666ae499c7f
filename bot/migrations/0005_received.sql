-- 0005: route by what a person received, not by what is due; the outbox is only a queue.

-- One row per round and partner: when their prompt is meant to go out, and when Telegram
-- accepted a message quoting the round's question to them (delivery records it). A plain
-- message answers only rounds its author has received.
CREATE TABLE round_participants (
    round_id     INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    prompt_due   INTEGER NOT NULL,
    received_at  INTEGER,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX round_participants_user ON round_participants(user_id, received_at);

-- Every message Steady sent that quotes a round's question (prompt, reminder, guided step,
-- "already open"), so a reply to any of them answers that round. Kept apart from the outbox,
-- whose sent rows are purged.
CREATE TABLE round_messages (
    chat_id      INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    round_id     INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id)
);

-- The couple a queued message belongs to, so ending a pairing withdraws the couple's queue.
ALTER TABLE outbox ADD COLUMN couple_id INTEGER;
CREATE INDEX outbox_couple_pending ON outbox(couple_id) WHERE status = 'pending';

-- When a couples therapist was last suggested (once a week at most); no longer read from the
-- outbox.
ALTER TABLE couples ADD COLUMN care_suggested_at INTEGER;

-- Carry over what the outbox knew.
INSERT INTO round_participants (round_id, user_id, prompt_due, received_at)
SELECT r.id, m.user_id, COALESCE(o.due_at, r.opened_at),
       CASE WHEN o.status = 'sent' THEN o.sent_at END
FROM rounds r
JOIN couple_members m ON m.couple_id = r.couple_id
LEFT JOIN outbox o ON o.dedupe_key = 'prompt:' || r.id || ':' || m.user_id;

INSERT OR IGNORE INTO round_messages (chat_id, message_id, round_id)
SELECT chat_id, message_id, round_id FROM outbox
WHERE message_id IS NOT NULL AND round_id IS NOT NULL;

UPDATE couples SET care_suggested_at = (
    SELECT MAX(created_at) FROM outbox WHERE dedupe_key LIKE 'care:' || couples.id || ':%'
);

UPDATE outbox SET couple_id = (
    SELECT m.couple_id FROM couple_members m JOIN couples c ON c.id = m.couple_id
    WHERE m.user_id = outbox.chat_id AND m.left_at IS NULL AND c.ended_at IS NULL
) WHERE status = 'pending';

-- A long answer arrives in parts (Telegram clients split a text over 4096 characters): a
-- message right after a part of 4000 or more joins it. Parts are kept so an edit replaces
-- its own part; answers.text is their join. A reveal waits a few seconds for a next part.
CREATE TABLE answer_parts (
    round_id     INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    part         INTEGER NOT NULL,
    message_id   INTEGER,
    text         TEXT    NOT NULL,
    PRIMARY KEY (round_id, user_id, part)
);
CREATE INDEX answer_parts_message ON answer_parts(user_id, message_id);
ALTER TABLE answers ADD COLUMN last_part_len INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN reveal_at INTEGER;
CREATE INDEX rounds_reveal ON rounds(reveal_at) WHERE reveal_at IS NOT NULL;
