-- findings: the expect lines at the end
ALTER TABLE orders SET SCHEMA archive;
ALTER FUNCTION total(int) SET SCHEMA reporting;
-- expect: 2: table orders moves to schema archive
-- expect: 3: function total moves to schema reporting
