-- findings: the expect lines at the end
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditor') THEN
    CREATE ROLE auditor;
  END IF;
END
$$;
CREATE FUNCTION rotate() RETURNS void LANGUAGE sql AS 'ALTER ROLE app PASSWORD ''x''';
CREATE OR REPLACE FUNCTION kick() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
  PERFORM dblink_exec('dbname=live', 'DROP TABLE customers');
END
$body$;
-- expect: 5: CREATE ROLE (roles belong to the whole server) acts beyond this database
-- expect: 9: ALTER ROLE (roles belong to the whole server) acts beyond this database
-- expect: 12: dblink_exec() (acts on other sessions, the server, its files or other databases) acts beyond this database
