-- expect 2
CREATE TABLE notes (id integer PRIMARY KEY, customer_id int REFERENCES customers (id), stars int);
