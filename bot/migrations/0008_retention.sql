-- How long revealed texts are kept, per person: days, or NULL for good (the default). The
-- shorter of the two partners' choices applies to their couple (see privacy.expire_texts).
ALTER TABLE users ADD COLUMN keep_days INTEGER;
