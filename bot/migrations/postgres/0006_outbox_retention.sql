-- 0006: bounded outbox. Messages for someone who blocked the bot expire after a while (see
-- bot/reachability.py), and finished rows are purged (scheduler/due.py).
-- PostgreSQL flavour of migrations/0006_outbox_retention.sql: INTEGER is BIGINT.

-- Messages that expired unsent while this person was unreachable, not yet told on their return.
ALTER TABLE users ADD COLUMN expired_unseen BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_expired_unseen ON users(id) WHERE expired_unseen > 0;
-- outbox.status gains 'expired' (text emptied, never sent). Finished rows by age, for the purge.
CREATE INDEX outbox_done ON outbox(status, sent_at);
