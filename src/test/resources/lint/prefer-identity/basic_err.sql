-- expect 1
CREATE TABLE notes (id bigserial PRIMARY KEY);
