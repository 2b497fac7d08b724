-- findings: the expect lines at the end
ALTER TABLE IF EXISTS app.measurements DETACH PARTITION app.measurements_2019;
ALTER TABLE measurements DETACH PARTITION measurements_2020 FINALIZE;
-- expect: 2: partition app.measurements_2019 is detached from app.measurements without CONCURRENTLY
