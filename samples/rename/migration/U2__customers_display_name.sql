DROP TRIGGER customers_sync_names ON customers;
DROP FUNCTION customers_sync_names();
ALTER TABLE customers DROP COLUMN display_name;
