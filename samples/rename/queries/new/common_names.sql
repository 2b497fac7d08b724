SELECT display_name, count(*) FROM customers WHERE created_at > now() - $1::interval GROUP BY display_name ORDER BY 2 DESC LIMIT 10
