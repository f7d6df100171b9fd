-- 征求意见: suggestions left for a unit before and while it drafts, with
-- the unit's answer; moderated like feedback.
CREATE TABLE suggestions (
    id            TEXT PRIMARY KEY,
    unit_id       TEXT NOT NULL REFERENCES org_units (id),
    cycle_id      TEXT NOT NULL REFERENCES cycles (id),
    name          TEXT,
    text          TEXT NOT NULL,
    left_on       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    -- A hash of the sender's address, for the rate limit only.
    sender_key    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'Open',
    reply         TEXT,
    replied_by    TEXT REFERENCES persons (id),
    hidden_at     TEXT,
    hidden_by     TEXT REFERENCES persons (id),
    hidden_reason TEXT
);
CREATE INDEX suggestions_unit ON suggestions (unit_id, cycle_id, created_at);
CREATE INDEX suggestions_sender ON suggestions (sender_key, created_at);
