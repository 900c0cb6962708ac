-- Raw position fixes, written by the tracking processor and never through Directus.
-- The processor upserts on (device_id, ts), so that pair is the table's identity; there is no
-- surrogate primary key, which keeps the table out of Directus (it lists tables that have one).
CREATE TABLE positions (
  device_id   text             NOT NULL,
  ts          timestamptz      NOT NULL,
  latitude    double precision NOT NULL,
  longitude   double precision NOT NULL,
  altitude_m  real,
  speed_kmh   real,
  heading_deg real,
  satellites  smallint,
  faulty      boolean          NOT NULL DEFAULT false,
  received_at timestamptz      NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX positions_device_ts_key ON positions (device_id, ts);

COMMENT ON TABLE positions IS 'Position fixes from the tracking processor; faulty ones are kept, flagged.';
