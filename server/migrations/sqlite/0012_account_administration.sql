-- Running the school from the browser: the office disables an account
-- (its sessions end, it cannot sign in) and hands out passwords the
-- person must replace with their own at their next sign-in.
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN disabled_at TEXT;

-- The audit trail filtered by who acted and by what, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
