-- findings: the expect lines at the end
DROP TYPE order_status;
-- expect: 2: type order_status is dropped
