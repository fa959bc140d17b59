-- Every batch rewrote each connection's row and, beside it, the row of each stream it paid: two row versions per
-- connection and batch, the stream's a third of the batch statement's cost. A connection's streams (at most 128
-- client streams: ReceiverLimits.maxStreamId) now live in its row, written whole with it, so the
-- version check on the connection row covers them too. Amounts stay uint64.
CREATE TYPE stream_total AS (
  id          bigint,  -- stream id, > 0
  received    uint64,
  receive_max uint64,  -- largest StreamMaxMoney advertised; never lowered (RFC 0029 §4.4.4)
  closed      boolean
);

ALTER TABLE connections ADD COLUMN streams stream_total[] NOT NULL DEFAULT '{}';
UPDATE connections c SET streams = s.streams
FROM (SELECT connection_id,
             array_agg(ROW(stream_id, received, receive_max, closed)::stream_total ORDER BY stream_id) AS streams
      FROM streams GROUP BY connection_id) s
WHERE c.id = s.connection_id;
DROP TABLE streams;

-- The old table's shape, for reading: one row per stream of a connection.
CREATE VIEW streams AS
  SELECT c.id AS connection_id, s.id AS stream_id, s.received, s.receive_max, s.closed
  FROM connections c CROSS JOIN LATERAL unnest(c.streams) AS s;
