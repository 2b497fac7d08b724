-- findings: the expect lines at the end
DROP TYPE IF EXISTS order_status CASCADE;
ALTER TYPE order_status ADD VALUE 'lost';
-- expect: 2: type order_status is dropped with everything that depends on it (CASCADE)
