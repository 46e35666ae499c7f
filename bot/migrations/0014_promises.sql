-- 0014: small promises with a due moment; the outcome is asked of both, double-blind, through
-- a round of kind 'promise' (rounds.subject_id = the promise).

CREATE TABLE promises (
    id              INTEGER PRIMARY KEY,
    couple_id       INTEGER NOT NULL REFERENCES couples(id),
    promiser_id     INTEGER NOT NULL REFERENCES users(id),
    text            TEXT    NOT NULL,   -- sealed with the server key; '' once past keeping
    -- draft (no due moment yet) | open | asked (outcome ask open) | done | withdrawn | cancelled
    status          TEXT    NOT NULL DEFAULT 'draft',
    created_at      INTEGER NOT NULL,
    due_local       TEXT,               -- 'YYYY-MM-DDTHH:MM' in the promiser's zone, as said
    zone            TEXT,               -- that zone (IANA name)
    due_at          INTEGER,            -- the due moment as a UTC instant
    ask_at          INTEGER,            -- due row: when the outcome ask opens; NULL once done
    weekly          INTEGER NOT NULL DEFAULT 0,
    acknowledged_at INTEGER,            -- the partner saw it and said so
    round_id        INTEGER REFERENCES rounds(id),  -- the outcome ask
    renewed_from    INTEGER REFERENCES promises(id),
    finished_at     INTEGER
);
CREATE INDEX promises_ask ON promises(ask_at) WHERE ask_at IS NOT NULL;
CREATE INDEX promises_couple ON promises(couple_id, id);
CREATE INDEX promises_round ON promises(round_id) WHERE round_id IS NOT NULL;
