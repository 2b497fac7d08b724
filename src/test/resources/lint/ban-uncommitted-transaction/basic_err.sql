-- findings: the expect lines at the end
BEGIN;
CREATE TABLE t (id bigint);
-- expect: 2: the transaction opened here is never committed or rolled back
