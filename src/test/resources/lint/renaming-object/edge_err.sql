-- findings: the expect lines at the end
ALTER MATERIALIZED VIEW daily_sales RENAME TO sales_by_day;
ALTER TRIGGER orders_touch ON orders RENAME TO orders_touch_updated_at;
ALTER TABLE orders RENAME TO purchases;
-- expect: 2: materialized view daily_sales is renamed to sales_by_day
-- expect: 3: trigger orders_touch is renamed to orders_touch_updated_at
