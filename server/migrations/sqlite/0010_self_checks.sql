-- 逐项对照检查: a committer's check of each item in a round (the last one
-- sent stands).
CREATE TABLE self_checks (
    round_id      TEXT NOT NULL REFERENCES rounds (id),
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    item_id       TEXT NOT NULL,
    status        TEXT NOT NULL,
    explanation   TEXT,
    checked_by    TEXT NOT NULL REFERENCES persons (id),
    checked_at    TEXT NOT NULL,
    PRIMARY KEY (round_id, commitment_id, item_id)
);
