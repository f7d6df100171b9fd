-- Facts about this database itself (schema generation, demo data loaded).
CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
