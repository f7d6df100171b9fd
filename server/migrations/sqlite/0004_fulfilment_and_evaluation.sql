-- The ledger (台帐): dated progress entries per item.
CREATE TABLE progress_entries (
    id            TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    item_id       TEXT NOT NULL,
    day           TEXT NOT NULL,
    text          TEXT NOT NULL,
    person_id     TEXT NOT NULL REFERENCES persons (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX progress_entries_commitment ON progress_entries (commitment_id, day);

-- Evaluation rounds of a cycle (季度 / 年度).
CREATE TABLE rounds (
    id        TEXT PRIMARY KEY,
    cycle_id  TEXT NOT NULL REFERENCES cycles (id),
    kind      TEXT NOT NULL CHECK (kind IN ('Quarterly', 'Annual')),
    opens_on  TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    is_closed INTEGER NOT NULL DEFAULT 0
);

-- A round's result for one commitment: the domain's RoundInputs and RoundResult as JSON.
CREATE TABLE round_results (
    round_id      TEXT NOT NULL REFERENCES rounds (id),
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    inputs        TEXT NOT NULL,
    result        TEXT NOT NULL,
    grade         TEXT,
    PRIMARY KEY (round_id, commitment_id)
);

-- 限期整改
CREATE TABLE rectification_orders (
    id            TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    item_id       TEXT NOT NULL,
    ordered_on    TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('Open', 'Closed')),
    closed_on     TEXT
);
