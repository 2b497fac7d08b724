CREATE TABLE customer_lifetime_value_snapshots (id bigint);
