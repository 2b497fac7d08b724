-- findings: the expect lines at the end
CREATE TABLE notes (id bigint PRIMARY KEY, title varchar(100), code char(3));
-- expect: 2: column title is varchar(100)
