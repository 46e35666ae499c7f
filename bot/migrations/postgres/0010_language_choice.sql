-- 0010: a language a person chose with /language. While language_chosen is 0, users.language
-- follows their Telegram app's language_code on every update; once they choose, it stays.
-- PostgreSQL flavour of migrations/0010_language_choice.sql: INTEGER is BIGINT.
ALTER TABLE users ADD COLUMN language_chosen BIGINT NOT NULL DEFAULT 0;
