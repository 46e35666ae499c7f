-- 0013: double-blind asks beyond check-ins (a promise's outcome, an agreement's review, a
-- weekly rating, a first step) are rounds too, so one reveal rule and one routing serve all.
-- `subject_id`: the promise, agreement or journey a round is about (its kind says which).
-- `choice`: the option a person chose on a button (sealed like the text, which is then an
-- optional word).
ALTER TABLE rounds ADD COLUMN subject_id INTEGER;
ALTER TABLE answers ADD COLUMN choice TEXT;
-- One open round per kind and subject: two promises may be asked about at once.
DROP INDEX rounds_one_open;
CREATE UNIQUE INDEX rounds_one_open ON rounds(couple_id, kind)
    WHERE status = 'open' AND subject_id IS NULL;
CREATE UNIQUE INDEX rounds_one_open_subject ON rounds(couple_id, kind, subject_id)
    WHERE status = 'open' AND subject_id IS NOT NULL;
