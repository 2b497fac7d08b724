-- findings: the expect lines at the end
UPDATE orders SET status = 'a', total = 0, status = 'b' WHERE id = 1;
INSERT INTO orders (id, status, id) VALUES (1, 'x', 2);
-- expect: 2: column status is assigned more than once
-- expect: 3: column id is assigned more than once
