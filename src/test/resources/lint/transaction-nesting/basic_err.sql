-- expect 2
BEGIN;
CREATE TABLE notes (id bigint);
COMMIT;
