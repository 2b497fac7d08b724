-- findings: the expect lines at the end
DROP FUNCTION IF EXISTS app.touch_updated_at;
DROP ROUTINE cleanup();
-- expect: 2: function app.touch_updated_at is dropped
-- expect: 3: function cleanup() is dropped
