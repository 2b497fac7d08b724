-- findings: the expect lines at the end
BEGIN;
CREATE TABLE notes (id bigint);
COMMIT;
-- expect: 2: the script already runs in a transaction: this BEGIN nests
-- expect: 4: this ends the transaction Flyway runs the script in
