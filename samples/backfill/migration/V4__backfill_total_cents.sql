-- sluice:batch table=orders key=id size=5000
UPDATE orders SET total_cents = (total * 100)::bigint WHERE id > :lo AND id <= :hi;
