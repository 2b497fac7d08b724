ALTER TABLE orders RENAME COLUMN a TO b; -- sluice:ignore renaming-column
