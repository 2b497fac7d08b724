-- findings: the expect lines at the end
alter/* a comment between the words */role app_owner password 'x';
SELECT 1 AS "it's", "pg_terminate_backend"(42), 'quoted';
DO $outer$
BEGIN
  CREATE FUNCTION later() RETURNS void LANGUAGE sql AS $inner$ ALTER SYSTEM SET fsync = off $inner$;
END
$outer$;
GrAnT
  pg_read_server_files TO app;
CREATE OPERATOR !!! (RIGHTARG = integer, FUNCTION = pg_catalog.pg_terminate_backend);
COPY orders TO $f$/tmp/orders.csv$f$;
copy photo to'/tmp/photo.csv';
-- expect: 2: ALTER ROLE (roles belong to the whole server) acts beyond this database
-- expect: 3: pg_terminate_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 6: ALTER SYSTEM (the server's configuration) acts beyond this database
-- expect: 9: GRANT of a role (role memberships belong to the whole server) acts beyond this database
-- expect: 11: pg_terminate_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 12: COPY ... TO a server file (the server's file system) acts beyond this database
-- expect: 13: COPY ... TO a server file (the server's file system) acts beyond this database
