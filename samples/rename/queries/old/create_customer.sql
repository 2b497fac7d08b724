INSERT INTO customers (email, full_name) VALUES ($1, $2) RETURNING id
