-- db-init: no-transaction
-- Serves "latest good fix per device". Built concurrently so that the processor keeps writing
-- while the index is created on a large table, which cannot happen inside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS positions_latest_good_idx
  ON positions (device_id, ts DESC)
  WHERE NOT faulty;
