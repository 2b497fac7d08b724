-- findings: the expect lines at the end
START TRANSACTION ISOLATION LEVEL SERIALIZABLE;
UPDATE orders SET status = 'done' WHERE id = 1;
ROLLBACK;
BEGIN;
UPDATE orders SET status = 'open' WHERE id = 2;
-- expect: 5: the transaction opened here is never committed or rolled back
