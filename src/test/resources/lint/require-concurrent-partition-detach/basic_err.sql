-- findings: the expect lines at the end
ALTER TABLE measurements DETACH PARTITION measurements_2020;
-- expect: 2: partition measurements_2020 is detached from measurements without CONCURRENTLY
