CREATE TABLE notes (id bigint PRIMARY KEY, body text CONSTRAINT body_short CHECK (length(body) < 100));
ALTER TABLE notes DROP CONSTRAINT body_short;
