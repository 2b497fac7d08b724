TRUNCATE staging_orders;
