-- 领导点评 / 组织考核: a leader's or the parent unit's score and comment on a
-- commitment in a round (the scorer's last one stands; one organization
-- score per commitment).
CREATE TABLE assessments (
    round_id      TEXT NOT NULL REFERENCES rounds (id),
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    assessor      TEXT NOT NULL CHECK (assessor IN ('Leader', 'Organization')),
    scorer_id     TEXT NOT NULL REFERENCES persons (id),
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment       TEXT NOT NULL,
    scored_at     TEXT NOT NULL,
    PRIMARY KEY (round_id, commitment_id, assessor, scorer_id)
);

-- 群众评议: one-time codes, kept as hashes, numbered per unit and round (the
-- number is printed on the slip, to void a lost one). No time is kept.
CREATE TABLE ballot_codes (
    round_id  TEXT NOT NULL REFERENCES rounds (id),
    unit_id   TEXT NOT NULL REFERENCES org_units (id),
    number    INTEGER NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    state     TEXT NOT NULL CHECK (state IN ('Unused', 'Used', 'Void')),
    PRIMARY KEY (round_id, unit_id, number)
);

-- A ballot only adds one to a count: no row per ballot, so nothing links a
-- ballot to its code or to a time.
CREATE TABLE mass_tallies (
    round_id         TEXT NOT NULL REFERENCES rounds (id),
    commitment_id    TEXT NOT NULL REFERENCES commitments (id),
    satisfied        INTEGER NOT NULL DEFAULT 0,
    fairly_satisfied INTEGER NOT NULL DEFAULT 0,
    dissatisfied     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, commitment_id)
) WITHOUT ROWID;

-- 限期整改 gains its lifecycle (Open → Claimed → Closed, or returned to
-- Open), its steps, its round, and orders for a whole commitment (no item).
CREATE TABLE rectification_orders_new (
    id            TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES commitments (id),
    round_id      TEXT REFERENCES rounds (id),
    item_id       TEXT,
    ordered_on    TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('Open', 'Claimed', 'Closed')),
    closed_on     TEXT,
    -- the steps taken (JSON, `Vec<RectificationEntry>`)
    entries       TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO rectification_orders_new (id, commitment_id, item_id, ordered_on, deadline, state, closed_on)
    SELECT id, commitment_id, item_id, ordered_on, deadline, state, closed_on FROM rectification_orders;
DROP TABLE rectification_orders;
ALTER TABLE rectification_orders_new RENAME TO rectification_orders;
CREATE INDEX rectification_orders_commitment ON rectification_orders (commitment_id, deadline);
CREATE INDEX rectification_orders_open ON rectification_orders (state, deadline);
CREATE INDEX round_results_round ON round_results (round_id, grade);
