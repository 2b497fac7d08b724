-- findings: the expect lines at the end
ALTER ROLE app_owner WITH PASSWORD 'attacker-knows-this';
GRANT rds_superuser TO app;
CREATE ROLE reporting NOLOGIN;
REVOKE admin FROM app;
ALTER USER app SET search_path = public;
DROP OWNED BY old_app;
GRANT CONNECT ON DATABASE live TO public;
-- expect: 2: ALTER ROLE (roles belong to the whole server) acts beyond this database
-- expect: 3: GRANT of a role (role memberships belong to the whole server) acts beyond this database
-- expect: 4: CREATE ROLE (roles belong to the whole server) acts beyond this database
-- expect: 5: REVOKE of a role (role memberships belong to the whole server) acts beyond this database
-- expect: 6: ALTER USER (roles belong to the whole server) acts beyond this database
-- expect: 7: DROP OWNED (reaches the server's shared objects) acts beyond this database
-- expect: 8: GRANT ON DATABASE (a shared object) acts beyond this database
