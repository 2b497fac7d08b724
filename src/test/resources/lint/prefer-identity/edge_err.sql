-- findings: the expect lines at the end
CREATE TABLE lines (id serial PRIMARY KEY, n smallserial);
ALTER TABLE lines ADD COLUMN seq serial4;
-- expect: 2: column id is serial
-- expect: 2: column n is smallserial
-- expect: 3: column seq is serial4
