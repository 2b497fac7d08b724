-- Stands in for the rows a production table already holds.
INSERT INTO orders (customer_id, status, total)
SELECT g % 5000, (ARRAY['new', 'paid', 'shipped'])[g % 3 + 1], (g % 10000) / 100.0
  FROM generate_series(1, 400000) g;
