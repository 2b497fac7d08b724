-- findings: the expect lines at the end
DROP EXTENSION IF EXISTS pg_trgm;
-- expect: 2: extension pg_trgm is dropped
