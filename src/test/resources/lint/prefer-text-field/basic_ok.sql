CREATE TABLE notes (id bigint PRIMARY KEY, body text CHECK (length(body) <= 500));
