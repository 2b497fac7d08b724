-- PostgreSQL truncates the name of a dropped object the same way it did when it was created.
DROP INDEX IF EXISTS index_customer_lifetime_value_snapshots_on_region_and_quarter_and_kind;
