-- 0010: a language a person chose with /language. While language_chosen is 0, users.language
-- follows their Telegram app's language_code on every update; once they choose, it stays.
ALTER TABLE users ADD COLUMN language_chosen INTEGER NOT NULL DEFAULT 0;
