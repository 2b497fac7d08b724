-- findings: the expect lines at the end
ALTER TABLE orders
    ADD COLUMN note text,
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(note, ''))) STORED;
-- expect: 4: the stored generated column search is computed for every row: orders is rewritten
