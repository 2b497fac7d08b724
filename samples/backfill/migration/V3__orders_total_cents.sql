-- Expand: the new column, nullable, no default: no rewrite, a brief lock.
ALTER TABLE orders ADD COLUMN total_cents bigint;
