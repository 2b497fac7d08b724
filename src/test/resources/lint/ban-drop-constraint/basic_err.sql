-- findings: the expect lines at the end
ALTER TABLE orders
    DROP CONSTRAINT orders_total_positive,
    DROP CONSTRAINT IF EXISTS orders_status_check;
-- expect: 3: constraint orders_total_positive of orders is dropped
-- expect: 4: constraint orders_status_check of orders is dropped
