CREATE TABLE notes (id bigint);
