-- findings: the expect lines at the end
ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;
ALTER TABLE logs ADD PRIMARY KEY (id);
-- expect: 2: the primary key index is built while the table is locked
-- expect: 3: the primary key index is built while the table is locked
