SELECT id, email, display_name FROM customers WHERE id = $1
