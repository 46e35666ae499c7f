-- 0016: the monthly "is this agreement still working for you?", on when both partners opt in.
-- PostgreSQL flavour of migrations/0016_agreement_reviews.sql: INTEGER is BIGINT.

-- Each partner's own choice, for this pairing (a new pairing starts with it off).
ALTER TABLE couple_members ADD COLUMN agreement_review BIGINT NOT NULL DEFAULT 0;
-- Due row: when the couple's next review is asked; NULL while not both opted in.
ALTER TABLE couples ADD COLUMN review_at BIGINT;
CREATE INDEX couples_review ON couples(review_at) WHERE review_at IS NOT NULL;
