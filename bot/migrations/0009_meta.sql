-- Facts about the database itself. `key_fingerprint`: which server key its texts are sealed
-- with (bot.at_rest); a start with another key is refused instead of writing under two.
CREATE TABLE meta (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
