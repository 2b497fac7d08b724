-- findings: the expect lines at the end
ALTER TYPE order_status ADD VALUE 'lost' AFTER 'shipped';
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'archived';
-- expect: 2: the new enum value is inserted between existing ones
