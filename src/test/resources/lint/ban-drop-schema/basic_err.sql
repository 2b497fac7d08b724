-- findings: the expect lines at the end
DROP SCHEMA reporting CASCADE;
-- expect: 2: a schema is dropped with CASCADE
