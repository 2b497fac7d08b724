-- findings: the expect lines at the end
CREATE TABLE tags (id bigint PRIMARY KEY, label pg_catalog.varchar(100), aliases varchar(40)[]);
-- expect: 2: column label is varchar(100)
-- expect: 2: column aliases is varchar(40)[]
