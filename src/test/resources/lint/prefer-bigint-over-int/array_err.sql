-- findings: the expect lines at the end
CREATE TABLE bundles (id bigint PRIMARY KEY, order_id integer[], parent_id int[], counts int[]);
-- expect: 2: key column order_id is integer[]
-- expect: 2: key column parent_id is int[]
