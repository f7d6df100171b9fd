-- The schema of SQLite's migrations 0001–0015 as it stands after the last,
-- in PostgreSQL's dialect. The same queries read both databases, so:
-- counts and flags are BIGINT (0/1), times and days are RFC 3339 text, JSON
-- is text, and text compares byte by byte (COLLATE "C", as SQLite does) so
-- that lists sort the same and stored moments compare in time order.
-- A change to the schema is a migration in both folders.

CREATE TABLE app_meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

-- Bumps a counter kept in app_meta (the directory's and the board's
-- versions, which let every server instance know its cache is stale).
CREATE FUNCTION bump_meta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE app_meta SET value = (CAST(value AS BIGINT) + 1)::text WHERE key = TG_ARGV[0];
    RETURN NULL;
END;
$$;

CREATE TABLE org_units (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    short_name  TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('School', 'Committee', 'Branch')),
    branch_kind TEXT COLLATE "C" CHECK (branch_kind IN ('Teaching', 'AdminService', 'Student', 'Retired')),
    parent_id   TEXT COLLATE "C" REFERENCES org_units (id),
    CHECK ((kind = 'Branch') = (branch_kind IS NOT NULL)),
    CHECK ((kind = 'School') = (parent_id IS NULL))
);

CREATE TABLE persons (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    branch_id   TEXT COLLATE "C" NOT NULL REFERENCES org_units (id),
    category    TEXT COLLATE "C" NOT NULL CHECK (category IN ('Teacher', 'Staff', 'Retired', 'Student')),
    cadre_rank  TEXT COLLATE "C" CHECK (cadre_rank IN ('Section', 'Division', 'Bureau')),
    is_activist BIGINT NOT NULL DEFAULT 0,
    title       TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX persons_branch ON persons (branch_id);

CREATE TABLE accounts (
    person_id            TEXT COLLATE "C" PRIMARY KEY REFERENCES persons (id),
    login                TEXT COLLATE "C" NOT NULL UNIQUE,
    password_hash        TEXT COLLATE "C" NOT NULL,
    created_at           TEXT COLLATE "C" NOT NULL,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    disabled_at          TEXT COLLATE "C"
);

CREATE TABLE role_grants (
    person_id TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    role      TEXT COLLATE "C" NOT NULL CHECK (role IN ('Member', 'BranchSecretary', 'CommitteeSecretary', 'Leader', 'Office')),
    unit_id   TEXT COLLATE "C" NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (person_id, role, unit_id)
);

CREATE TABLE sessions (
    token_hash   TEXT COLLATE "C" PRIMARY KEY,
    person_id    TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    created_at   TEXT COLLATE "C" NOT NULL,
    last_seen_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE sign_in_failures (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key   TEXT COLLATE "C" NOT NULL,
    at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);

INSERT INTO app_meta (key, value) VALUES ('directory_version', '0');
CREATE TRIGGER org_units_changed AFTER INSERT OR UPDATE OR DELETE ON org_units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_meta('directory_version');
CREATE TRIGGER persons_changed AFTER INSERT OR UPDATE OR DELETE ON persons
    FOR EACH STATEMENT EXECUTE FUNCTION bump_meta('directory_version');
CREATE TRIGGER role_grants_changed AFTER INSERT OR UPDATE OR DELETE ON role_grants
    FOR EACH STATEMENT EXECUTE FUNCTION bump_meta('directory_version');

CREATE TABLE cycles (
    id         TEXT COLLATE "C" PRIMARY KEY,
    year       BIGINT NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    calendar   TEXT COLLATE "C" NOT NULL,
    settings   TEXT COLLATE "C" NOT NULL,
    is_current BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE commitments (
    id             TEXT COLLATE "C" PRIMARY KEY,
    cycle_id       TEXT COLLATE "C" NOT NULL REFERENCES cycles (id),
    committer_type TEXT COLLATE "C" NOT NULL CHECK (committer_type IN ('unit', 'person')),
    committer_id   TEXT COLLATE "C" NOT NULL,
    state          TEXT COLLATE "C" NOT NULL,
    revision       BIGINT NOT NULL,
    number         TEXT COLLATE "C",
    dossier        TEXT COLLATE "C" NOT NULL,
    -- the position of its last change in the stream that clients pull
    change_seq     BIGINT NOT NULL,
    updated_at     TEXT COLLATE "C" NOT NULL,
    unit_id        TEXT COLLATE "C",
    committee_id   TEXT COLLATE "C",
    UNIQUE (cycle_id, committer_type, committer_id)
);
CREATE INDEX commitments_change_seq ON commitments (change_seq);
CREATE INDEX commitments_state ON commitments (cycle_id, state);
CREATE INDEX commitments_committer ON commitments (committer_id, change_seq);
CREATE INDEX commitments_unit ON commitments (cycle_id, unit_id, change_seq);
CREATE INDEX commitments_committee ON commitments (cycle_id, committee_id, change_seq);
CREATE INDEX commitments_cycle ON commitments (cycle_id, change_seq);
INSERT INTO app_meta (key, value) VALUES ('change_seq', '0');

CREATE TABLE applied_operations (
    operation_id  TEXT COLLATE "C" PRIMARY KEY,
    person_id     TEXT COLLATE "C" NOT NULL,
    commitment_id TEXT COLLATE "C" NOT NULL,
    outcome       TEXT COLLATE "C" NOT NULL,
    applied_at    TEXT COLLATE "C" NOT NULL
);

-- The audit trail: append-only.
CREATE TABLE audit_log (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at           TEXT COLLATE "C" NOT NULL,
    actor_id     TEXT COLLATE "C",
    action       TEXT COLLATE "C" NOT NULL,
    subject_type TEXT COLLATE "C" NOT NULL,
    subject_id   TEXT COLLATE "C" NOT NULL,
    from_state   TEXT COLLATE "C",
    to_state     TEXT COLLATE "C",
    comment      TEXT COLLATE "C"
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE progress_entries (
    id            TEXT COLLATE "C" PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    item_id       TEXT COLLATE "C" NOT NULL,
    day           TEXT COLLATE "C" NOT NULL,
    text          TEXT COLLATE "C" NOT NULL,
    person_id     TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    created_at    TEXT COLLATE "C" NOT NULL,
    evidence      TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    public        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX progress_entries_commitment ON progress_entries (commitment_id, day);

CREATE TABLE rounds (
    id        TEXT COLLATE "C" PRIMARY KEY,
    cycle_id  TEXT COLLATE "C" NOT NULL REFERENCES cycles (id),
    kind      TEXT COLLATE "C" NOT NULL CHECK (kind IN ('Quarterly', 'Annual')),
    opens_on  TEXT COLLATE "C" NOT NULL,
    closes_on TEXT COLLATE "C" NOT NULL,
    is_closed BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE round_results (
    round_id      TEXT COLLATE "C" NOT NULL REFERENCES rounds (id),
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    inputs        TEXT COLLATE "C" NOT NULL,
    result        TEXT COLLATE "C" NOT NULL,
    grade         TEXT COLLATE "C",
    PRIMARY KEY (round_id, commitment_id)
);
CREATE INDEX round_results_round ON round_results (round_id, grade);

CREATE TABLE rectification_orders (
    id            TEXT COLLATE "C" PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    round_id      TEXT COLLATE "C" REFERENCES rounds (id),
    item_id       TEXT COLLATE "C",
    ordered_on    TEXT COLLATE "C" NOT NULL,
    deadline      TEXT COLLATE "C" NOT NULL,
    state         TEXT COLLATE "C" NOT NULL CHECK (state IN ('Open', 'Claimed', 'Closed')),
    closed_on     TEXT COLLATE "C",
    entries       TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE INDEX rectification_orders_commitment ON rectification_orders (commitment_id, deadline);
CREATE INDEX rectification_orders_open ON rectification_orders (state, deadline);

CREATE TABLE feedback (
    id            TEXT COLLATE "C" PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    name          TEXT COLLATE "C",
    text          TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    sender_key    TEXT COLLATE "C" NOT NULL,
    hidden_at     TEXT COLLATE "C",
    hidden_by     TEXT COLLATE "C" REFERENCES persons (id),
    hidden_reason TEXT COLLATE "C"
);
CREATE INDEX feedback_commitment ON feedback (commitment_id, created_at);
CREATE INDEX feedback_sender ON feedback (sender_key, created_at);

CREATE TABLE report_packages (
    committee_id TEXT COLLATE "C" NOT NULL REFERENCES org_units (id),
    cycle_id     TEXT COLLATE "C" NOT NULL REFERENCES cycles (id),
    submitted_on TEXT COLLATE "C" NOT NULL,
    submitted_at TEXT COLLATE "C" NOT NULL,
    submitted_by TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    PRIMARY KEY (committee_id, cycle_id)
);

CREATE TABLE set_aside_versions (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL,
    person_id     TEXT COLLATE "C",
    set_aside_at  TEXT COLLATE "C" NOT NULL,
    draft         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX set_aside_versions_commitment ON set_aside_versions (commitment_id);

-- The public board as its own table, kept as commitments are published.
CREATE TABLE board_entries (
    rowid          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    commitment_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES commitments (id),
    cycle_id       TEXT COLLATE "C" NOT NULL,
    year           BIGINT NOT NULL,
    committee_id   TEXT COLLATE "C",
    committee_name TEXT COLLATE "C",
    branch_id      TEXT COLLATE "C",
    branch_name    TEXT COLLATE "C",
    number         TEXT COLLATE "C",
    committer_name TEXT COLLATE "C" NOT NULL,
    item           TEXT COLLATE "C" NOT NULL,
    entry          TEXT COLLATE "C" NOT NULL
);
CREATE INDEX board_year ON board_entries (year, number DESC);
CREATE INDEX board_committee ON board_entries (committee_id, year, number DESC);
CREATE INDEX board_branch ON board_entries (branch_id, year, number DESC);

-- Words to find: the committer's name and the items' texts (searched with
-- LIKE on the rows of the year and unit chosen).
CREATE TABLE board_search (
    rowid         BIGINT PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL,
    text          TEXT COLLATE "C" NOT NULL
);

INSERT INTO app_meta (key, value) VALUES ('board_version', '0');
CREATE TRIGGER board_entries_changed AFTER INSERT OR UPDATE OR DELETE ON board_entries
    FOR EACH STATEMENT EXECUTE FUNCTION bump_meta('board_version');

CREATE TABLE evidence_files (
    hash       TEXT COLLATE "C" PRIMARY KEY,
    kind       TEXT COLLATE "C" NOT NULL,
    size       BIGINT NOT NULL,
    bytes      BYTEA NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE commitment_evidence (
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    hash          TEXT COLLATE "C" NOT NULL REFERENCES evidence_files (hash),
    uploaded_by   TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    uploaded_at   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (commitment_id, hash)
);

CREATE TABLE self_checks (
    round_id      TEXT COLLATE "C" NOT NULL REFERENCES rounds (id),
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    item_id       TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    explanation   TEXT COLLATE "C",
    checked_by    TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    checked_at    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (round_id, commitment_id, item_id)
);

CREATE TABLE assessments (
    round_id      TEXT COLLATE "C" NOT NULL REFERENCES rounds (id),
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    assessor      TEXT COLLATE "C" NOT NULL CHECK (assessor IN ('Leader', 'Organization')),
    scorer_id     TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    score         BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment       TEXT COLLATE "C" NOT NULL,
    scored_at     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (round_id, commitment_id, assessor, scorer_id)
);

CREATE TABLE ballot_codes (
    round_id  TEXT COLLATE "C" NOT NULL REFERENCES rounds (id),
    unit_id   TEXT COLLATE "C" NOT NULL REFERENCES org_units (id),
    number    BIGINT NOT NULL,
    code_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    state     TEXT COLLATE "C" NOT NULL CHECK (state IN ('Unused', 'Used', 'Void')),
    PRIMARY KEY (round_id, unit_id, number)
);

CREATE TABLE mass_tallies (
    round_id         TEXT COLLATE "C" NOT NULL REFERENCES rounds (id),
    commitment_id    TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    satisfied        BIGINT NOT NULL DEFAULT 0,
    fairly_satisfied BIGINT NOT NULL DEFAULT 0,
    dissatisfied     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, commitment_id)
);

CREATE TABLE circulars (
    id           TEXT COLLATE "C" PRIMARY KEY,
    unit_id      TEXT COLLATE "C" NOT NULL REFERENCES org_units (id),
    number       BIGINT NOT NULL,
    title        TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL,
    on_board     BIGINT NOT NULL DEFAULT 0,
    published_on TEXT COLLATE "C" NOT NULL,
    published_at TEXT COLLATE "C" NOT NULL,
    published_by TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    UNIQUE (unit_id, number)
);
CREATE INDEX circulars_board ON circulars (on_board, published_at);

CREATE TABLE suggestions (
    id            TEXT COLLATE "C" PRIMARY KEY,
    unit_id       TEXT COLLATE "C" NOT NULL REFERENCES org_units (id),
    cycle_id      TEXT COLLATE "C" NOT NULL REFERENCES cycles (id),
    name          TEXT COLLATE "C",
    text          TEXT COLLATE "C" NOT NULL,
    left_on       TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    sender_key    TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL DEFAULT 'Open',
    reply         TEXT COLLATE "C",
    replied_by    TEXT COLLATE "C" REFERENCES persons (id),
    hidden_at     TEXT COLLATE "C",
    hidden_by     TEXT COLLATE "C" REFERENCES persons (id),
    hidden_reason TEXT COLLATE "C"
);
CREATE INDEX suggestions_unit ON suggestions (unit_id, cycle_id, created_at);
CREATE INDEX suggestions_sender ON suggestions (sender_key, created_at);

CREATE TABLE bulletins (
    id           TEXT COLLATE "C" PRIMARY KEY,
    number       BIGINT NOT NULL UNIQUE,
    title        TEXT COLLATE "C" NOT NULL,
    intro        TEXT COLLATE "C" NOT NULL,
    practices    TEXT COLLATE "C" NOT NULL,
    published_on TEXT COLLATE "C" NOT NULL,
    published_at TEXT COLLATE "C" NOT NULL,
    published_by TEXT COLLATE "C" NOT NULL REFERENCES persons (id)
);
CREATE INDEX bulletins_newest ON bulletins (published_at);

CREATE TABLE nominations (
    id            TEXT COLLATE "C" PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL REFERENCES commitments (id),
    item_id       TEXT COLLATE "C" NOT NULL,
    entry_id      TEXT COLLATE "C" REFERENCES progress_entries (id),
    practice      TEXT COLLATE "C" NOT NULL,
    reason        TEXT COLLATE "C" NOT NULL,
    nominated_by  TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    nominated_on  TEXT COLLATE "C" NOT NULL,
    nominated_at  TEXT COLLATE "C" NOT NULL,
    consent       TEXT COLLATE "C" NOT NULL DEFAULT 'waiting'
                  CHECK (consent IN ('waiting', 'given', 'declined')),
    consent_at    TEXT COLLATE "C",
    bulletin_id   TEXT COLLATE "C" REFERENCES bulletins (id)
);
CREATE UNIQUE INDEX nominations_once ON nominations (commitment_id, item_id, COALESCE(entry_id, ''));
CREATE INDEX nominations_newest ON nominations (nominated_at);
