-- In a transaction CONCURRENTLY cannot run: the advice would break the script.
REINDEX TABLE orders;
