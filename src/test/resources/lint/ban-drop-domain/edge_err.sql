-- findings: the expect lines at the end
DROP DOMAIN IF EXISTS us_postal_code;
DROP TYPE IF EXISTS mood;
-- expect: 2: domain us_postal_code is dropped
