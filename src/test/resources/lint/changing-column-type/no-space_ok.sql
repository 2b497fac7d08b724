CREATE TABLE a(b varchar(100), c int);
CREATE TABLE "Audit"(note varchar(10));
-- fixture: history above
ALTER TABLE a ALTER COLUMN b TYPE varchar(200);
ALTER TABLE "Audit" ALTER COLUMN note TYPE varchar(20);
