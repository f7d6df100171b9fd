-- 情况通报: numbered progress notices, per unit, to everyone in its scope
-- (and, when chosen, on the public board).
CREATE TABLE circulars (
    id           TEXT PRIMARY KEY,
    unit_id      TEXT NOT NULL REFERENCES org_units (id),
    number       INTEGER NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    on_board     INTEGER NOT NULL DEFAULT 0,
    published_on TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL REFERENCES persons (id),
    UNIQUE (unit_id, number)
);
CREATE INDEX circulars_board ON circulars (on_board, published_at);
