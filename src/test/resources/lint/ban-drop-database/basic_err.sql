-- expect 1
DROP DATABASE legacy;
