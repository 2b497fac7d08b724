-- expect 1
CREATE TABLE customer_lifetime_value_snapshots_by_region_and_quarter_for_reporting (id bigint);
