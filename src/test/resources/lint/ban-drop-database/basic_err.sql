-- findings: the expect lines at the end
DROP DATABASE legacy;
-- expect: 2: a database is dropped
