ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;
CREATE TABLE fresh (n int);
ALTER TABLE fresh ADD CONSTRAINT n_positive CHECK (n > 0);
