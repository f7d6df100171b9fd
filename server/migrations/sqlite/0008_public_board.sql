-- The public board as its own table, kept as commitments are published:
-- the list is filtered, searched and paged in SQL, and an entry is read
-- directly (`entry` is the answer of `GET /api/board/{id}`).
CREATE TABLE board_entries (
    commitment_id  TEXT PRIMARY KEY REFERENCES commitments (id),
    cycle_id       TEXT NOT NULL,
    year           INTEGER NOT NULL,
    committee_id   TEXT,
    committee_name TEXT,
    branch_id      TEXT,
    branch_name    TEXT,
    number         TEXT,
    committer_name TEXT NOT NULL,
    -- the list's item, JSON (`BoardItem`)
    item           TEXT NOT NULL,
    -- the whole entry, JSON (`Published`)
    entry          TEXT NOT NULL
);
CREATE INDEX board_year ON board_entries (year, number DESC);
CREATE INDEX board_committee ON board_entries (committee_id, year, number DESC);
CREATE INDEX board_branch ON board_entries (branch_id, year, number DESC);

-- Words to find: the committer's name and the items' texts, indexed by
-- trigrams (Chinese has no spaces between words).
CREATE VIRTUAL TABLE board_search USING fts5 (
    commitment_id UNINDEXED,
    text,
    tokenize = 'trigram'
);

-- Bumped whenever the board changes: the list's ETag.
INSERT INTO app_meta (key, value) VALUES ('board_version', '0');
CREATE TRIGGER board_entries_changed_insert AFTER INSERT ON board_entries
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'board_version'; END;
CREATE TRIGGER board_entries_changed_update AFTER UPDATE ON board_entries
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'board_version'; END;
CREATE TRIGGER board_entries_changed_delete AFTER DELETE ON board_entries
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'board_version'; END;
