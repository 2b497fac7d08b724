CREATE TABLE U&"d\0061ta" (id bigint PRIMARY KEY, U&"n!0061me" UESCAPE '!' text);
INSERT INTO U&"d\0061ta" VALUES (1, U&'pg_terminate_backend is only a word here');
LOCK TABLE U&"d\0061ta" IN SHARE MODE;
LOCK pg_class_history;
SELECT ts_rewrite('a & b'::tsquery, 'a'::tsquery, 'c'::tsquery);
