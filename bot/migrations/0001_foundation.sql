-- 0001: people, couples, one-time invites, join throttling and the message outbox.
-- Times are UTC seconds since the epoch (INTEGER): portable, indexable, free of zone text.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,          -- Telegram user id (= their private chat id)
    first_name  TEXT    NOT NULL,
    language    TEXT    NOT NULL DEFAULT 'en',
    reachable   INTEGER NOT NULL DEFAULT 1,   -- 0 after they blocked the bot
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE couples (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    ended_by    INTEGER REFERENCES users(id)
);

CREATE TABLE couple_members (
    couple_id   INTEGER NOT NULL REFERENCES couples(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    joined_at   INTEGER NOT NULL,
    left_at     INTEGER,
    PRIMARY KEY (couple_id, user_id)
);
-- A user is in at most one active couple, whatever the code above does.
CREATE UNIQUE INDEX couple_members_one_active ON couple_members(user_id) WHERE left_at IS NULL;

-- Only a hash of each invite code is kept: a leaked backup holds no usable invite.
CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT    NOT NULL UNIQUE,
    inviter_id  INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    used_by     INTEGER REFERENCES users(id),
    revoked_at  INTEGER                       -- replaced by a newer /pair
);
CREATE INDEX invites_inviter ON invites(inviter_id);
CREATE INDEX invites_expires ON invites(expires_at);

-- Wrong invite codes per user, for the brute-force cool-off.
CREATE TABLE join_failures (
    user_id     INTEGER NOT NULL,
    failed_at   INTEGER NOT NULL
);
CREATE INDEX join_failures_user ON join_failures(user_id, failed_at);

-- Transactional outbox: written with the change that causes it, drained by the delivery loop.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    dedupe_key    TEXT    NOT NULL UNIQUE,     -- retrying a step never queues a message twice
    chat_id       INTEGER NOT NULL,
    text          TEXT    NOT NULL,            -- emptied once sent
    reply_markup  TEXT,                        -- JSON inline keyboard, if any
    status        TEXT    NOT NULL DEFAULT 'pending',  -- pending | sent | failed | cancelled
    not_before    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    uncertain     INTEGER NOT NULL DEFAULT 0,  -- timeouts after the request went out
    last_error    TEXT,                        -- error class only, never content
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER
);
CREATE INDEX outbox_pending ON outbox(status, not_before);
