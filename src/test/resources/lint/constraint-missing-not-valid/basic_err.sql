-- findings: the expect lines at the end
ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);
-- expect: 2: the CHECK is validated under ACCESS EXCLUSIVE; add it NOT VALID and VALIDATE it separately
