-- findings: the expect lines at the end
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH 1000);
ALTER TABLE invoices ALTER COLUMN id DROP IDENTITY IF EXISTS;
-- expect: 2: the identity of id changes (add generated always as identity)
-- expect: 3: the identity of id changes (drop identity)
