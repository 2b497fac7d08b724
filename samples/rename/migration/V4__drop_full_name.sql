-- Contract: runs once the new release, which reads and writes display_name only, serves all traffic.
-- sluice:phase contract
SET lock_timeout = '5s';

DROP TRIGGER customers_sync_names ON customers;
DROP FUNCTION customers_sync_names();
ALTER TABLE customers DROP COLUMN full_name;
