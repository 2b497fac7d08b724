INSERT INTO customers (email, display_name) VALUES ($1, $2) RETURNING id
