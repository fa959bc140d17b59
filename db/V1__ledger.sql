-- Inlet ledger: accounts, double-entry transfers, the credited STREAM packets they post, STREAM connections with
-- their streams, and kept StreamData. Amounts are unsigned 64-bit integers in the asset's smallest unit; PostgreSQL
-- has no unsigned bigint, so they are numeric(20,0) bounded by the uint64 domain, and any credit that would pass
-- 2^64-1 is refused.

CREATE DOMAIN uint64 AS numeric(20, 0)
  CHECK (VALUE >= 0 AND VALUE <= 18446744073709551615);

CREATE TABLE accounts (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  kind          text NOT NULL CHECK (kind IN ('receiving', 'connector')),
  asset_code    text NOT NULL,
  asset_scale   smallint NOT NULL CHECK (asset_scale BETWEEN 0 AND 255),
  -- sum of this account's entries; negative only for the connector account, which pays in
  balance       numeric(21, 0) NOT NULL DEFAULT 0,
  -- everything ever credited, against receive_limit
  received      uint64 NOT NULL DEFAULT 0,
  receive_limit uint64,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'connector' OR balance >= 0)
);

-- A stream's totals, kept in its connection's row (connections.streams) and written whole with it: a separate row
-- per stream made every batch write two row versions per connection, the stream's a third of the batch's cost.
-- A connection has at most 128 client streams (ReceiverLimits.maxStreamId).
CREATE TYPE stream_total AS (
  id          bigint,  -- stream id, > 0
  received    uint64,
  receive_max uint64,  -- largest StreamMaxMoney advertised; never lowered (RFC 0029 §4.4.4)
  closed      boolean
);

CREATE TABLE connections (
  id                bytea PRIMARY KEY,   -- the connection id sealed in the SPSP token
  account_id        bigint NOT NULL REFERENCES accounts (id),
  opened_at         timestamptz NOT NULL DEFAULT now(),
  source_address    text,                -- from ConnectionNewAddress, when the sender sent one
  total_received    uint64 NOT NULL DEFAULT 0,
  packets_fulfilled bigint NOT NULL DEFAULT 0,
  packets_rejected  bigint NOT NULL DEFAULT 0,
  last_packet_at    timestamptz,
  closed_at         timestamptz,
  data_bytes        integer NOT NULL DEFAULT 0,
  -- Bumped by every ledger write of the connection or its streams; the writer's cached batches are written only
  -- while it still matches. 0: created by the current transaction's lock step, not written yet.
  version           bigint NOT NULL DEFAULT 0,
  streams           stream_total[] NOT NULL DEFAULT '{}'
)
-- Updated by almost every batch: room on each page keeps those updates heap-only (HOT), without new index entries.
WITH (fillfactor = 70);
CREATE INDEX connections_by_account ON connections (account_id, opened_at DESC);
-- Connections still open and recently active, counted for the inlet_connections_open gauge.
CREATE INDEX connections_open ON connections (last_packet_at) WHERE closed_at IS NULL;

-- One row per stream of a connection, for reading.
CREATE VIEW streams AS
  SELECT c.id AS connection_id, s.id AS stream_id, s.received, s.receive_max, s.closed
  FROM connections c CROSS JOIN LATERAL unnest(c.streams) AS s;

-- A transfer posts a batch's credited packets to one account: two entries, the connector debited and the account
-- credited.
CREATE TABLE transfers (
  id            bigserial PRIMARY KEY,
  amount        uint64 NOT NULL CHECK (amount > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  packets       integer NOT NULL CHECK (packets > 0)
);

-- Double-entry: every transfer has entries that sum to zero (debit the connector, credit the receiver).
CREATE TABLE entries (
  id          bigserial PRIMARY KEY,
  transfer_id bigint NOT NULL REFERENCES transfers (id),
  account_id  bigint NOT NULL REFERENCES accounts (id),
  amount      numeric(21, 0) NOT NULL CHECK (amount <> 0)
);
CREATE INDEX entries_by_account ON entries (account_id);
CREATE INDEX entries_by_transfer ON entries (transfer_id);

-- Every credited STREAM packet, keyed by (connection, sequence) so that a retried Prepare is credited once, and
-- the transfer that posted it. No foreign keys: a check per row would cost more than the row, and the packets,
-- their transfer and its entries are written by one statement; the ledger check looks for orphans instead.
CREATE TABLE packets (
  connection_id bytea NOT NULL,
  sequence      bigint NOT NULL,
  amount        uint64 NOT NULL CHECK (amount > 0),
  transfer_id   bigint NOT NULL,
  PRIMARY KEY (connection_id, sequence)
);

-- StreamData a payer sent, kept with its connection (bounded by connections.data_bytes).
CREATE TABLE stream_data (
  connection_id bytea NOT NULL REFERENCES connections (id),
  stream_id     bigint NOT NULL,
  "offset"      bigint NOT NULL,
  data          bytea NOT NULL,
  PRIMARY KEY (connection_id, stream_id, "offset")
);

-- Aborts the statement (and so everything it wrote) when a count differs from the expected one. The ledger writer
-- keeps committed state in memory and writes each batch in one statement that first checks nothing changed behind
-- it; SQLSTATE IN409 (SqlStates.staleBatch) sends the batch back to be read under locks.
CREATE FUNCTION inlet_expect(actual bigint, expected bigint, what text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  IF actual IS DISTINCT FROM expected THEN
    RAISE EXCEPTION 'inlet: % changed behind the ledger writer (% of % rows)', what, actual, expected
      USING ERRCODE = 'IN409';
  END IF;
  RETURN true;
END
$$;

-- Aborts the statement (and so everything it wrote) when a rule of money is broken: violation names it, null when
-- the rule holds. SQLSTATE IN500 (SqlStates.invariantViolated; class IN is Inlet's own, unused by PostgreSQL) is a
-- bug, never a stale cache: the writer fails the batch (UNAVAILABLE, no Fulfill), counts it in
-- inlet_ledger_invariant_violations_total and does not retry. Raised before the commit, so no credit of a rejected
-- packet is ever durable.
CREATE FUNCTION inlet_invariant(violation text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  IF violation IS NOT NULL THEN
    RAISE EXCEPTION 'inlet: ledger invariant violated: %', violation
      USING ERRCODE = 'IN500';
  END IF;
  RETURN true;
END
$$;

-- A batch as the ledger writer's one statement takes it (BatchStatement): four arrays of these, one text literal
-- each, instead of a parameter per column. Amounts are unsigned 64-bit integers as plain numeric, written in decimal
-- and exact up to 2^64-1; the uint64 columns they go into check the bound.

-- A connection's changes in a batch.
CREATE TYPE connection_change AS (
  id             bytea,
  account_id     bigint,
  version        bigint,          -- the row version the batch was decided on; 0: not in the database yet
  received       numeric,         -- credited in the batch
  fulfilled      integer,
  rejected       integer,
  source_address text,            -- the sender's latest ConnectionNewAddress; null: unchanged
  closes         boolean,
  data_bytes     integer,         -- StreamData bytes newly kept
  streams        stream_total[]   -- all the connection's streams after the batch; null: unchanged
);

-- A credited STREAM packet.
CREATE TYPE packet_credit AS (
  connection_id bytea,
  sequence      bigint,
  amount        numeric,
  account_id    bigint
);

-- A StreamData chunk to keep.
CREATE TYPE data_chunk AS (
  connection_id bytea,
  stream_id     bigint,
  "offset"      bigint,
  data          bytea
);

-- An account's credit in a batch as the decider computed it: the statement aborts (IN500) unless the packets it
-- posts credit each account exactly this, and no other account.
CREATE TYPE account_credit AS (
  account_id bigint,
  amount     numeric
);
