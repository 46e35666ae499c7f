-- 0016: the monthly "is this agreement still working for you?", on when both partners opt in.

-- Each partner's own choice, for this pairing (a new pairing starts with it off).
ALTER TABLE couple_members ADD COLUMN agreement_review INTEGER NOT NULL DEFAULT 0;
-- Due row: when the couple's next review is asked; NULL while not both opted in.
ALTER TABLE couples ADD COLUMN review_at INTEGER;
CREATE INDEX couples_review ON couples(review_at) WHERE review_at IS NOT NULL;
