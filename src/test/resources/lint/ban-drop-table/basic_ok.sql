DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
INSERT INTO audit (what) VALUES ('DROP TABLE orders');
