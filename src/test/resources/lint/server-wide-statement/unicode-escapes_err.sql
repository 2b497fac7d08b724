-- findings: the expect lines at the end
SELECT U&"pg_termin\0061te_backend"(pid) FROM pg_stat_activity WHERE usename = 'app';
CREATE FUNCTION pwn() RETURNS void LANGUAGE sql AS U&'ALTER \0052OLE app PASSWORD ''x''';
CREATE EXTENSION U&"dblin\006b";
SELECT query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '');
LOCK TABLE pg_catalog.pg_database IN ACCESS EXCLUSIVE MODE;
SELECT U&"!0070g_reload_conf" UESCAPE '!'();
CREATE VIEW quiet AS SELECT u&"pg_cancel_backend"(1);
LOCK "pg_authid", orders;
SELECT U&"pg_\+000073ignal_backend"(1, 'TERM');
-- expect: 2: pg_terminate_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 3: ALTER ROLE (roles belong to the whole server) acts beyond this database
-- expect: 4: dblink() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 5: pg_terminate_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 6: LOCK of the shared catalog pg_database (every database's sessions read it: logins, roles) acts beyond this database
-- expect: 7: pg_reload_conf() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 8: pg_cancel_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database
-- expect: 9: LOCK of the shared catalog pg_authid (every database's sessions read it: logins, roles) acts beyond this database
-- expect: 10: pg_signal_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database
