-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN seq bigserial;
ALTER TABLE orders ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY;
CREATE TABLE tickets (id bigserial PRIMARY KEY);
ALTER TABLE tickets ADD COLUMN n serial;
-- expect: 2: column seq gets a value per row (its bigserial default calls nextval()): orders is rewritten
-- expect: 3: column number gets a value per row (it is filled from its identity sequence): orders is rewritten
