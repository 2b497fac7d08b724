-- findings: the expect lines at the end
DROP TABLE IF EXISTS audit_log, audit_archive CASCADE;
-- expect: 2: table audit_log is dropped with its data
-- expect: 2: table audit_archive is dropped with its data
