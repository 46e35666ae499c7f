-- 0022: an edit is superseded only by a newer edit of the same message (per chat, message id),
-- not by an edit of another message. Each update on record says which message it was and its
-- edit date (0: the message as first sent, older than any edit of it).
ALTER TABLE update_log ADD COLUMN chat_id BIGINT;
ALTER TABLE update_log ADD COLUMN message_id BIGINT;
ALTER TABLE update_log ADD COLUMN edit_date BIGINT;
CREATE INDEX update_log_message ON update_log(person_id, chat_id, message_id)
    WHERE message_id IS NOT NULL;
ALTER TABLE person_updates DROP COLUMN last_edit_date;
