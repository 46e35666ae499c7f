-- 0017: the outbox sends pictures and documents too (a /progress chart, a /report PDF).
-- `media_kind`: 'photo' or 'document' (NULL: a text message; `text` is then the caption).
-- `media`: the file's bytes, base64 and sealed like `text`; emptied (NULL) once Telegram has
-- it or the row is withdrawn, so no picture or report is kept after it was sent.
-- `media_name`: the file name the reader sees.
ALTER TABLE outbox ADD COLUMN media_kind TEXT;
ALTER TABLE outbox ADD COLUMN media TEXT;
ALTER TABLE outbox ADD COLUMN media_name TEXT;
