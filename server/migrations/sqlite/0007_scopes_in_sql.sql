-- A real school's size (25,000 members, five years): every list and pull
-- decides its scope in SQL, through indexes, instead of reading rows the
-- caller cannot see.

-- Where each commitment sits in the tree: its own unit (a person's branch,
-- or the committing unit) and the committee above it (or itself).
ALTER TABLE commitments ADD COLUMN unit_id TEXT;
ALTER TABLE commitments ADD COLUMN committee_id TEXT;
UPDATE commitments SET unit_id = json_extract(dossier, '$.ancestry[0]');
UPDATE commitments SET committee_id = (
    SELECT u.id FROM json_each(commitments.dossier, '$.ancestry') a
    JOIN org_units u ON u.id = a.value
    WHERE u.kind = 'Committee'
);
-- A person's own commitments (any cycle); what a secretary or leader
-- supervises in a cycle; the office's cycle; each in change order.
CREATE INDEX commitments_committer ON commitments (committer_id, change_seq);
CREATE INDEX commitments_unit ON commitments (cycle_id, unit_id, change_seq);
CREATE INDEX commitments_committee ON commitments (cycle_id, committee_id, change_seq);
CREATE INDEX commitments_cycle ON commitments (cycle_id, change_seq);

-- The change stream: a counter instead of a row per save (the stream is the
-- commitments' own `change_seq`).
INSERT INTO app_meta (key, value)
    VALUES ('change_seq', (SELECT COALESCE(MAX(seq), 0) FROM changes));
DROP TABLE changes;

-- The directory's version, bumped by every change of the tree, the people
-- or their roles: a server keeps the directory in memory and reloads it when
-- this moved (the administration commands run in another process).
INSERT INTO app_meta (key, value) VALUES ('directory_version', '0');
CREATE TRIGGER org_units_changed_insert AFTER INSERT ON org_units
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER org_units_changed_update AFTER UPDATE ON org_units
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER org_units_changed_delete AFTER DELETE ON org_units
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER persons_changed_insert AFTER INSERT ON persons
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER persons_changed_update AFTER UPDATE ON persons
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER persons_changed_delete AFTER DELETE ON persons
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER role_grants_changed_insert AFTER INSERT ON role_grants
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER role_grants_changed_update AFTER UPDATE ON role_grants
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
CREATE TRIGGER role_grants_changed_delete AFTER DELETE ON role_grants
BEGIN UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'; END;
