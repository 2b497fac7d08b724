UPDATE customers SET display_name = $2 WHERE id = $1
