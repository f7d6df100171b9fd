-- Versions of a commitment's text a person chose not to keep while merging
-- two versions: kept so that they can still be read (the sync's promise that
-- nothing typed is discarded without a trace).
CREATE TABLE set_aside_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    commitment_id TEXT NOT NULL,
    person_id     TEXT,
    set_aside_at  TEXT NOT NULL,
    draft         TEXT NOT NULL
);
CREATE INDEX set_aside_versions_commitment ON set_aside_versions (commitment_id);
