-- findings: the expect lines at the end
DROP SCHEMA IF EXISTS staging CASCADE;
DROP SCHEMA empty_schema;
-- expect: 2: a schema is dropped with CASCADE
-- expect: 3: a schema is dropped
