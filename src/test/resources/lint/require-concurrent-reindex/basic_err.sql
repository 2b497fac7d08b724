-- expect 1
REINDEX TABLE orders;
