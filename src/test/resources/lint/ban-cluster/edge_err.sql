-- findings: the expect lines at the end
CLUSTER orders USING orders_created_idx;
CLUSTER VERBOSE;
SELECT 'CLUSTER orders';
-- expect: 2: CLUSTER locks and rewrites the table
-- expect: 3: CLUSTER locks and rewrites the table
