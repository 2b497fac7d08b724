-- findings: the expect lines at the end
-- In a transaction CONCURRENTLY cannot run: the statement needs a script of its own, and is reported all the same
-- (it blocks writes, and reads through the index, for the whole rebuild).
SET lock_timeout = '5s';
REINDEX TABLE orders;
REINDEX INDEX orders_status_idx;
REINDEX SCHEMA app;
REINDEX (VERBOSE) TABLE orders;
-- expect: 5: REINDEX runs without CONCURRENTLY, in a script that runs in a transaction (where CONCURRENTLY cannot): give it a script of its own
-- expect: 6: REINDEX runs without CONCURRENTLY, in a script that runs in a transaction (where CONCURRENTLY cannot): give it a script of its own
-- expect: 7: REINDEX runs without CONCURRENTLY, in a script that runs in a transaction (where CONCURRENTLY cannot): give it a script of its own
-- expect: 8: REINDEX runs without CONCURRENTLY, in a script that runs in a transaction (where CONCURRENTLY cannot): give it a script of its own
