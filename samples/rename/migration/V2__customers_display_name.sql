-- Expand: full_name becomes display_name without a moment when either release breaks.
-- The new column, nullable, and a trigger that keeps both columns in step whichever
-- release writes: the old one writes full_name, the new one display_name.
SET lock_timeout = '5s';

ALTER TABLE customers ADD COLUMN display_name text;

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
