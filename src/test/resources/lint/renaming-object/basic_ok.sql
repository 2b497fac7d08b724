ALTER INDEX orders_status_idx SET (fillfactor = 90);
ALTER TABLE orders ALTER COLUMN note SET STATISTICS 100;
