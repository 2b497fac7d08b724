-- findings: the expect lines at the end
CREATE TABLE batches (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, slots serial[]);
-- expect: 2: column slots is serial[]
