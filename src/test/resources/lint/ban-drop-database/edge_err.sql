-- findings: the expect lines at the end
DROP DATABASE IF EXISTS reporting;
SELECT 'DROP DATABASE app';
-- expect: 2: a database is dropped
