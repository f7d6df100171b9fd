-- Evidence (佐证材料): photos and PDFs, kept in the database (so that the
-- backup, a copy of the database, holds them) once per content, named by
-- the SHA-256 of their bytes; a retried upload finds its file there.
CREATE TABLE evidence_files (
    hash       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    created_at TEXT NOT NULL
);
-- Which commitment a file was given to, by whom: a file is served to those
-- who may see that commitment, and counted against its total.
CREATE TABLE commitment_evidence (
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    hash          TEXT NOT NULL REFERENCES evidence_files (hash),
    uploaded_by   TEXT NOT NULL REFERENCES persons (id),
    uploaded_at   TEXT NOT NULL,
    PRIMARY KEY (commitment_id, hash)
);
-- An entry's files (JSON, `Vec<Evidence>`) and whether the committer shows
-- it on the public board.
ALTER TABLE progress_entries ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE progress_entries ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
