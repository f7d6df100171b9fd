-- Public feedback on a commitment on display (群众意见). Plain text as typed;
-- hidden entries are kept, with who hid them and why.
CREATE TABLE feedback (
    id            TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    name          TEXT,
    text          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    -- A hash of the sender's address, for the rate limit only.
    sender_key    TEXT NOT NULL,
    hidden_at     TEXT,
    hidden_by     TEXT REFERENCES persons (id),
    hidden_reason TEXT
);
CREATE INDEX feedback_commitment ON feedback (commitment_id, created_at);
CREATE INDEX feedback_sender ON feedback (sender_key, created_at);

-- A committee's report package (报送) for a cycle, once submitted.
CREATE TABLE report_packages (
    committee_id TEXT NOT NULL REFERENCES org_units (id),
    cycle_id     TEXT NOT NULL REFERENCES cycles (id),
    submitted_on TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (committee_id, cycle_id)
);
