-- 0011: for a shared phone. `discreet`: the message that makes the phone buzz carries no
-- private words, and those with private words arrive silently. `quiet_from`/`quiet_until`:
-- local 'HH:MM' of the person's quiet hours (default 22:00-08:00; NULL: none), when
-- messages arrive without a sound.
ALTER TABLE users ADD COLUMN discreet INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN quiet_from TEXT DEFAULT '22:00';
ALTER TABLE users ADD COLUMN quiet_until TEXT DEFAULT '08:00';
-- A message with private words to a discreet person: the neutral line that announced it
-- has gone out (it makes the sound; the message itself then follows silently).
ALTER TABLE outbox ADD COLUMN announced INTEGER NOT NULL DEFAULT 0;
