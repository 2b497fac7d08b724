-- findings: the expect lines at the end
DROP FUNCTION IF EXISTS touch_updated_at() CASCADE;
DROP PROCEDURE archive_orders(int);
-- expect: 2: function touch_updated_at() is dropped with everything that depends on it (CASCADE)
-- expect: 3: function archive_orders(int) is dropped
