-- findings: the expect lines at the end
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');
-- expect: 2: the domain carries a constraint
-- expect: 3: the domain constraint is validated against every column using it
