-- findings: the expect lines at the end
CREATE TABLE customer_lifetime_value_snapshots_by_region_and_quarter_for_reporting (id bigint);
-- expect: 2: identifier customer_lifetime_value_snapshots_by_region_and_quarter_for_reporting is 69 bytes; PostgreSQL keeps 63
