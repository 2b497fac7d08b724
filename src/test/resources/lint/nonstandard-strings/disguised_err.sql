-- findings: the expect lines at the end
SET standard_conforming_strings = off;
SELECT 'x\''; DROP TABLE orders; --';
select pg_catalog."set_config"('standard_' || 'conforming_strings', 'off', false);
UPDATE pg_catalog.pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings';
DO $$ BEGIN PERFORM set_config(chr(115) || 'tandard_conforming_strings', 'off', false); END $$;
ALTER FUNCTION report() SET U&"standard\005fconforming_strings" = off;
SET LOCAL standard_conforming_strings TO 'off';
-- expect: 2: it sets standard_conforming_strings: with it off the server reads a backslash in '...' as an escape, and the statements after it are not the text lint and the approvers read
-- expect: 4: it calls set_config() with a setting named at run time, which could be standard_conforming_strings: then the statements after it are not the text lint read
-- expect: 5: it sets standard_conforming_strings: with it off the server reads a backslash in '...' as an escape, and the statements after it are not the text lint and the approvers read
-- expect: 6: it calls set_config() with a setting named at run time, which could be standard_conforming_strings: then the statements after it are not the text lint read
-- expect: 7: it sets standard_conforming_strings: with it off the server reads a backslash in '...' as an escape, and the statements after it are not the text lint and the approvers read
-- expect: 8: it sets standard_conforming_strings: with it off the server reads a backslash in '...' as an escape, and the statements after it are not the text lint and the approvers read
