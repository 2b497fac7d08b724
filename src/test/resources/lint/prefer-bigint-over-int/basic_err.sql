-- findings: the expect lines at the end
CREATE TABLE notes (id integer PRIMARY KEY, customer_id int REFERENCES customers (id), stars int);
-- expect: 2: key column id is integer
-- expect: 2: key column customer_id is int
