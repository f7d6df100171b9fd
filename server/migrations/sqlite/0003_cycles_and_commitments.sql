-- Yearly cycles; their calendar and settings are the domain's types, as JSON.
CREATE TABLE cycles (
    id         TEXT PRIMARY KEY,
    year       INTEGER NOT NULL,
    name       TEXT NOT NULL,
    calendar   TEXT NOT NULL,
    settings   TEXT NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 0
);

-- A commitment is the domain's Dossier (text, state, reviews, fulfilment) as
-- JSON, with the columns that queries filter on beside it.
CREATE TABLE commitments (
    id             TEXT PRIMARY KEY,
    cycle_id       TEXT NOT NULL REFERENCES cycles (id),
    committer_type TEXT NOT NULL CHECK (committer_type IN ('unit', 'person')),
    committer_id   TEXT NOT NULL,
    state          TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    number         TEXT,
    dossier        TEXT NOT NULL,
    -- the position of its last change in the stream that clients pull
    change_seq     INTEGER NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (cycle_id, committer_type, committer_id)
);
CREATE INDEX commitments_change_seq ON commitments (change_seq);
CREATE INDEX commitments_state ON commitments (cycle_id, state);

-- The stream of changes; its ids are the cursors clients pull from.
CREATE TABLE changes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    commitment_id TEXT NOT NULL
);

-- Every sync operation applied, by its client-made id: a replay is answered
-- from here and changes nothing.
CREATE TABLE applied_operations (
    operation_id  TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL,
    commitment_id TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    applied_at    TEXT NOT NULL
);

-- The audit trail: append-only.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    from_state   TEXT,
    to_state     TEXT,
    comment      TEXT
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
