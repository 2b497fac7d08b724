-- expect 2
SET lock_timeout = 0;
RESET ALL;
ALTER TABLE orders ADD COLUMN note text;
