ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN token uuid;
