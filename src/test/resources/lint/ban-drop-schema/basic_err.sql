-- expect 1
DROP SCHEMA reporting CASCADE;
