-- findings: the expect lines at the end
DROP VIEW order_totals;
DROP MATERIALIZED VIEW IF EXISTS app.daily_sales CASCADE;
-- expect: 2: view order_totals is dropped
-- expect: 3: view app.daily_sales is dropped with everything that depends on it (CASCADE)
