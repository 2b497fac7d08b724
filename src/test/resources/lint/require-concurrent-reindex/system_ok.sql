-- REINDEX SYSTEM has no concurrent form.
REINDEX SYSTEM app;
