-- expect 2
CREATE TABLE notes (id bigint PRIMARY KEY, title varchar(100), code char(3));
