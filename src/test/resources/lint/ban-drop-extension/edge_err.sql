-- findings: the expect lines at the end
DROP EXTENSION pg_trgm CASCADE;
COMMENT ON EXTENSION pgcrypto IS 'DROP EXTENSION pgcrypto';
-- expect: 2: extension pg_trgm is dropped with everything that depends on it (CASCADE)
