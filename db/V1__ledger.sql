-- Inlet ledger: accounts, double-entry transfers, STREAM connections and their streams.
-- Amounts are unsigned 64-bit integers in the asset's smallest unit; PostgreSQL has no unsigned bigint,
-- so they are numeric(20,0) bounded by the uint64 domain, and any credit that would pass 2^64-1 is refused.

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
  data_bytes        integer NOT NULL DEFAULT 0
);
CREATE INDEX connections_by_account ON connections (account_id, opened_at DESC);

CREATE TABLE streams (
  connection_id bytea NOT NULL REFERENCES connections (id),
  stream_id     bigint NOT NULL CHECK (stream_id > 0),
  received      uint64 NOT NULL DEFAULT 0,
  receive_max   uint64 NOT NULL,         -- largest StreamMaxMoney advertised; never lowered (RFC 0029 §4.4.4)
  closed        boolean NOT NULL DEFAULT false,
  PRIMARY KEY (connection_id, stream_id)
);

-- One transfer per credited STREAM packet: (connection, sequence) makes a retried Prepare idempotent.
CREATE TABLE transfers (
  id            bigserial PRIMARY KEY,
  connection_id bytea NOT NULL REFERENCES connections (id),
  sequence      bigint NOT NULL,
  amount        uint64 NOT NULL CHECK (amount > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (connection_id, sequence)
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

-- StreamData a payer sent, kept with its connection (bounded by connections.data_bytes).
CREATE TABLE stream_data (
  connection_id bytea NOT NULL REFERENCES connections (id),
  stream_id     bigint NOT NULL,
  "offset"      bigint NOT NULL,
  data          bytea NOT NULL,
  PRIMARY KEY (connection_id, stream_id, "offset")
);
