-- findings: the expect lines at the end
ALTER TYPE order_status ADD VALUE 'packed' BEFORE 'shipped';
-- expect: 2: the new enum value is inserted between existing ones
