CREATE TABLE databases (name text);
