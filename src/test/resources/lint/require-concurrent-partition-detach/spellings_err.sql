-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE measurements DETACH PARTITION app.measurements_2020;
-- expect: 2: partition app.measurements_2020 is detached from measurements without CONCURRENTLY
