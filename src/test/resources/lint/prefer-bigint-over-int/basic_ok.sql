CREATE TABLE notes (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), stars int);
