-- Indexes on tables this script creates, named as teams spell them: no blank before the parenthesis (one real history
-- drew 26 errors here), quoted, qualified with blanks around the dot, ONLY, IF NOT EXISTS, a line break.
CREATE TABLE objects (id bigint PRIMARY KEY, repo_id bigint NOT NULL);
CREATE INDEX objects_repo_id ON objects(repo_id, id);
CREATE TABLE IF NOT EXISTS "Order Lines"(id bigint, qty int);
CREATE INDEX order_lines_qty ON "Order Lines"(qty);
CREATE TABLE app.items
(id bigint);
CREATE INDEX IF NOT EXISTS items_id ON ONLY app . items
(id);
