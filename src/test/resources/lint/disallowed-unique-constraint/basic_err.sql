-- findings: the expect lines at the end
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
-- expect: 2: the unique index is built while the table is locked
