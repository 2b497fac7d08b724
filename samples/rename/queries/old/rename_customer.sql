UPDATE customers SET full_name = $2 WHERE id = $1
