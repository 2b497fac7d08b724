-- sluice:batch table=customers key=id size=20000
UPDATE customers SET display_name = NULL WHERE id > :lo AND id <= :hi;
