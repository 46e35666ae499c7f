-- 0025: when the latest message of an answer was written (Telegram's date), beside when it was
-- handled (updated_at). Whether a new message is a long answer's next part is judged by when
-- both were written: after downtime a backlog is handled in one burst, so by handling time a
-- message written an hour later joined, and a real part handled a few seconds late did not.
-- NULL for answers before it: their updated_at stands in.
ALTER TABLE answers ADD COLUMN last_part_at BIGINT;
