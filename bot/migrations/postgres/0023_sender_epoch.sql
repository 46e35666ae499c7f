-- 0023: the sender's epoch (several workers on PostgreSQL; SQLite runs one worker, same schema).
-- A worker elected to send for the bot counts it up; each of its sends checks it is still the
-- count it took, so a sender that lost its lock without knowing yet sends nothing more.
-- One row, written by the first election (none on a database no worker has sent from).
CREATE TABLE sender_epoch (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);
