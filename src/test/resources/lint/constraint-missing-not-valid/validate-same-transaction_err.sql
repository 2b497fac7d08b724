-- findings: the expect lines at the end
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
-- expect: 3: constraint orders_total_positive is validated in the transaction that added it NOT VALID: the ADD's ACCESS EXCLUSIVE lock is held through the whole validation; validate it in a later migration
