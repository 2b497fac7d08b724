SET standard_conforming_strings = on;
RESET standard_conforming_strings;
SELECT set_config('search_path', 'public', true);
SELECT name, setting FROM pg_settings WHERE name = 'lock_timeout';
CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL DEFAULT E'line\none');
