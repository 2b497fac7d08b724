-- findings: the expect lines at the end
SET lock_timeout = 0;
RESET ALL;
ALTER TABLE orders ADD COLUMN note text;
-- expect: 2: this drops the lock_timeout/statement_timeout protection and nothing restores it
-- expect: 3: this drops the lock_timeout/statement_timeout protection and nothing restores it
