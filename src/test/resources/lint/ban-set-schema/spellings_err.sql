-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER FUNCTION app.touch(int,text) SET SCHEMA archive;
-- expect: 2: function app.touch moves to schema archive
