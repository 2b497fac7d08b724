-- findings: the expect lines at the end
DROP DOMAIN positive_int CASCADE;
-- expect: 2: domain positive_int is dropped with everything that depends on it (CASCADE)
