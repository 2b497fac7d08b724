-- findings: the expect lines at the end
ALTER TABLE countries ADD COLUMN region char(4), ADD COLUMN label varchar(20);
CREATE TABLE flags (code character varying(2), mark "char");
-- expect: 2: column region is char(4)
