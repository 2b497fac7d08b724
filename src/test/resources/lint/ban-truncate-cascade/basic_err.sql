-- findings: the expect lines at the end
TRUNCATE customers CASCADE;
-- expect: 2: TRUNCATE cascades to referencing tables
