-- Expand: the rows written before the trigger get display_name, in batches of short transactions.
-- sluice:batch table=customers key=id size=5000
UPDATE customers SET display_name = full_name WHERE id > :lo AND id <= :hi AND display_name IS NULL;
