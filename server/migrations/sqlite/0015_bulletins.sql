-- 简报 / 经验交流: practices nominated by a secretary, agreed to by their
-- committer, printed in numbered bulletins published on the board and in
-- everyone's messages. A bulletin keeps the practices as printed (JSON).
CREATE TABLE bulletins (
    id           TEXT PRIMARY KEY,
    number       INTEGER NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    intro        TEXT NOT NULL,
    practices    TEXT NOT NULL,
    published_on TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL REFERENCES persons (id)
);
CREATE INDEX bulletins_newest ON bulletins (published_at);

CREATE TABLE nominations (
    id            TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    item_id       TEXT NOT NULL,
    -- The ledger entry nominated; NULL: the crossed-off item itself.
    entry_id      TEXT REFERENCES progress_entries (id),
    practice      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    nominated_by  TEXT NOT NULL REFERENCES persons (id),
    nominated_on  TEXT NOT NULL,
    nominated_at  TEXT NOT NULL,
    consent       TEXT NOT NULL DEFAULT 'waiting'
                  CHECK (consent IN ('waiting', 'given', 'declined')),
    consent_at    TEXT,
    bulletin_id   TEXT REFERENCES bulletins (id)
);
CREATE UNIQUE INDEX nominations_once ON nominations (commitment_id, item_id, COALESCE(entry_id, ''));
CREATE INDEX nominations_newest ON nominations (nominated_at);
