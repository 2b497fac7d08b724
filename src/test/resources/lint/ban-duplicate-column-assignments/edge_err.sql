-- findings: the expect lines at the end
UPDATE orders o SET status = 'a', (note, status) = ('n', 'b') WHERE o.id = 1;
INSERT INTO orders AS o (id, note) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET note = EXCLUDED.note;
-- expect: 2: column status is assigned more than once
