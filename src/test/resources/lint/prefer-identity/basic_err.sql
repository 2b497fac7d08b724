-- findings: the expect lines at the end
CREATE TABLE notes (id bigserial PRIMARY KEY);
-- expect: 2: column id is bigserial
