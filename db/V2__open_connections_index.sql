-- Connections still open and recently active, counted for the inlet_connections_open gauge.
CREATE INDEX connections_open ON connections (last_packet_at) WHERE closed_at IS NULL;
