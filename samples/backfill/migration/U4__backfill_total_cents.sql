-- sluice:batch table=orders key=id size=20000
UPDATE orders SET total_cents = NULL WHERE id > :lo AND id <= :hi;
