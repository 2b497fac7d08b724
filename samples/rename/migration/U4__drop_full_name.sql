-- Brings full_name back from display_name, which holds every name since the expand release.
ALTER TABLE customers ADD COLUMN full_name text;
UPDATE customers SET full_name = display_name;
-- ADD COLUMN holds ACCESS EXCLUSIVE until this undo script commits, and the UPDATE above writes every row under
-- it: SET NOT NULL's scan adds one pass to a lock already held, which a validated CHECK would not shorten.
-- sluice:ignore setting-not-nullable-field
ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;

CREATE FUNCTION customers_sync_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.display_name := coalesce(NEW.display_name, NEW.full_name);
    NEW.full_name := coalesce(NEW.full_name, NEW.display_name);
  ELSIF NEW.display_name IS DISTINCT FROM OLD.display_name THEN
    NEW.full_name := NEW.display_name;
  ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name THEN
    NEW.display_name := NEW.full_name;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER customers_sync_names
  BEFORE INSERT OR UPDATE ON customers
  FOR EACH ROW EXECUTE FUNCTION customers_sync_names();
