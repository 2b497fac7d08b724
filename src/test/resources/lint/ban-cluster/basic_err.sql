-- expect 1
CLUSTER orders USING orders_pkey;
