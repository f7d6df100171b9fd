-- The organization tree, its people, their accounts and roles.
CREATE TABLE org_units (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    -- used in commitment numbers, e.g. 经管
    short_name  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('School', 'Committee', 'Branch')),
    branch_kind TEXT CHECK (branch_kind IN ('Teaching', 'AdminService', 'Student', 'Retired')),
    parent_id   TEXT REFERENCES org_units (id),
    CHECK ((kind = 'Branch') = (branch_kind IS NOT NULL)),
    CHECK ((kind = 'School') = (parent_id IS NULL))
);

CREATE TABLE persons (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    branch_id   TEXT NOT NULL REFERENCES org_units (id),
    category    TEXT NOT NULL CHECK (category IN ('Teacher', 'Staff', 'Retired', 'Student')),
    cadre_rank  TEXT CHECK (cadre_rank IN ('Section', 'Division', 'Bureau')),
    is_activist INTEGER NOT NULL DEFAULT 0,
    -- the post, e.g. 副教授 or 学生会主席
    title       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX persons_branch ON persons (branch_id);

CREATE TABLE accounts (
    person_id     TEXT PRIMARY KEY REFERENCES persons (id),
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE role_grants (
    person_id TEXT NOT NULL REFERENCES persons (id),
    role      TEXT NOT NULL CHECK (role IN ('Member', 'BranchSecretary', 'CommitteeSecretary', 'Leader', 'Office')),
    unit_id   TEXT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (person_id, role, unit_id)
);

-- Only a hash of the token is kept: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES persons (id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Failed sign-ins, per account ('login:…') and per address ('address:…').
CREATE TABLE sign_in_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
