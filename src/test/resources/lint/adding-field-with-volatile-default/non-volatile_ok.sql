ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE orders ADD COLUMN label text DEFAULT lower('NEW');
ALTER TABLE orders ADD COLUMN owner_id bigint DEFAULT 0 REFERENCES owners (id);
ALTER TABLE orders ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object');
