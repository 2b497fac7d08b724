-- expect 2
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');
