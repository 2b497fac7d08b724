CREATE TABLE accounts (id bigint PRIMARY KEY, role text NOT NULL, "group" text, user_id bigint);
ALTER TABLE accounts DROP COLUMN "group";
GRANT SELECT, INSERT ON accounts TO app;
REVOKE DELETE ON accounts FROM app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reporting;
CREATE USER MAPPING FOR app SERVER archive OPTIONS (user 'app');
COPY (SELECT id FROM accounts) TO STDOUT;
COMMENT ON TABLE accounts IS 'ALTER ROLE is not run here; nor is pg_terminate_backend(1)';
SELECT extract(year FROM '2024-01-01'::date), substring('abc' FROM 'b');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.role := lower(NEW.role);
  RETURN NEW;
END
$$;
-- ALTER SYSTEM in a comment is no statement
