-- findings: the expect lines at the end
CREATE TABLE countries (code char(2) PRIMARY KEY, iso3 character(3), flag bpchar);
-- expect: 2: column code is char(2)
-- expect: 2: column iso3 is character(3)
-- expect: 2: column flag is bpchar
