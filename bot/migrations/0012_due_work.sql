-- 0012: due work in sets writes less per row. Indexes that due work pays for on every row it
-- queues, and that no query needs, go; the one the prompt rotation asks for comes. Opening
-- 100,000 rounds writes 200,000 outbox rows, each into every outbox index.

-- Superseded: "pending by time" is outbox_sendable (0007); "a chat's rows by status" is the
-- (chat_id, status, …) prefix of outbox_chat_due; nothing looks a sent row up by its Telegram
-- message (a reply finds its round in round_messages).
DROP INDEX outbox_pending;
DROP INDEX outbox_chat_fifo;
DROP INDEX outbox_message;
-- A couple's latest check-in round (the category that comes next, the open one if any): an
-- index walk to its last entry per couple. It also serves a couple's history page, so it
-- replaces rounds_history (open rounds are found through rounds_one_open).
DROP INDEX rounds_history;
CREATE INDEX rounds_latest ON rounds(couple_id, kind, id);
-- A check-in prompt queued by its id: `text` stays empty and the message is rendered when
-- delivery reads the row, in its reader's language, with their partner's name. Due work then
-- queues 200,000 prompts without rendering each in Python first.
ALTER TABLE outbox ADD COLUMN prompt_id TEXT;
