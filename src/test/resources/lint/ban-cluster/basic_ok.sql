ALTER TABLE orders CLUSTER ON orders_pkey;
