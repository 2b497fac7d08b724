-- expect 2
ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;
ALTER TABLE logs ADD PRIMARY KEY (id);
