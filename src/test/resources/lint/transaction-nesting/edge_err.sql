-- findings: the expect lines at the end
COMMIT;
BEGIN;
SELECT 1;
END;
-- expect: 2: this ends the transaction Flyway runs the script in
-- expect: 3: the script already runs in a transaction: this BEGIN nests
-- expect: 5: this ends the transaction Flyway runs the script in
