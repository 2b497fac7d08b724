-- findings: the expect lines at the end
CLUSTER orders USING orders_pkey;
-- expect: 2: CLUSTER locks and rewrites the table
