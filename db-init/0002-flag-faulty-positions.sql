-- A fix is faulty when it cannot be a real position: out of range, the (0, 0) "null island"
-- that receivers report without a satellite lock, or a speed no tracked vehicle reaches.
-- Faulty fixes are kept (support needs them) but flagged, so that maps can leave them out.
CREATE FUNCTION flag_faulty_position() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.faulty := NEW.faulty
    OR NEW.latitude NOT BETWEEN -90 AND 90
    OR NEW.longitude NOT BETWEEN -180 AND 180
    OR (NEW.latitude = 0 AND NEW.longitude = 0)
    OR coalesce(NEW.speed_kmh, 0) NOT BETWEEN 0 AND 400;
  RETURN NEW;
END;
$$;

CREATE TRIGGER positions_flag_faulty
  BEFORE INSERT OR UPDATE ON positions
  FOR EACH ROW EXECUTE FUNCTION flag_faulty_position();
