-- 0015: agreements both partners accept in the same words. Every wording and every step is
-- kept: an agreement's wordings (agreement_versions) and what each partner did (its events).

CREATE TABLE agreements (
    id              INTEGER PRIMARY KEY,
    couple_id       INTEGER NOT NULL REFERENCES couples(id),
    -- proposed (never accepted yet) | active | declined | withdrawn | retired
    status          TEXT    NOT NULL DEFAULT 'proposed',
    created_at      INTEGER NOT NULL,
    -- The wording both accepted; NULL until then. Active only with one.
    active_version  INTEGER,
    retire_asked_by INTEGER REFERENCES users(id),  -- asked to retire it; the other confirms
    retire_asked_at INTEGER,
    finished_at     INTEGER
);
CREATE INDEX agreements_couple ON agreements(couple_id, status, id);

CREATE TABLE agreement_versions (
    id              INTEGER PRIMARY KEY,
    agreement_id    INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    text            TEXT    NOT NULL,   -- sealed with the server key; '' once past keeping
    proposed_by     INTEGER REFERENCES users(id),  -- NULL: that partner erased their data
    proposed_at     INTEGER NOT NULL,
    -- proposed | accepted | declined | superseded (a newer wording replaced it)
    status          TEXT    NOT NULL DEFAULT 'proposed',
    accepted_by     INTEGER REFERENCES users(id),  -- the other partner, who said yes to it
    decided_at      INTEGER
);
-- One wording waits for an answer at a time, whatever the code does.
CREATE UNIQUE INDEX agreement_versions_one_open ON agreement_versions(agreement_id)
    WHERE status = 'proposed';
CREATE INDEX agreement_versions_of ON agreement_versions(agreement_id, id);

CREATE TABLE agreement_events (
    id              INTEGER PRIMARY KEY,
    agreement_id    INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    version_id      INTEGER REFERENCES agreement_versions(id) ON DELETE CASCADE,
    user_id         INTEGER REFERENCES users(id),  -- NULL: that partner erased their data
    -- proposed | changed | accepted | declined | revised | retire_asked | retire_kept | retired
    what            TEXT    NOT NULL,
    at              INTEGER NOT NULL
);
CREATE INDEX agreement_events_of ON agreement_events(agreement_id, id);
