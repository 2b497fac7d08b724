-- findings: the expect lines at the end
CREATE FUNCTION loosen() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
  EXECUTE 'SET standard_conforming_strings TO off';
END
$body$;
CREATE FUNCTION relax(name text) RETURNS text LANGUAGE sql AS $$ SELECT set_config(name, 'off', false) $$;
WITH changed AS (UPDATE pg_settings SET setting = 'off' WHERE name = 'lock_timeout' RETURNING name) SELECT count(*) FROM changed;
-- expect: 2: it sets standard_conforming_strings: with it off the server reads a backslash in '...' as an escape, and the statements after it are not the text lint and the approvers read
-- expect: 7: it calls set_config() with a setting named at run time, which could be standard_conforming_strings: then the statements after it are not the text lint read
-- expect: 8: it updates pg_settings, which sets settings by names it reads at run time (one could be standard_conforming_strings): then the statements after it are not the text lint read
