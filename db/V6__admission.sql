-- Admission control (dev.inlet.admission): an account's own limits, set through the admin API; a null column takes
-- the configured default (INLET_ACCOUNT_MAX_OPEN_CONNECTIONS, INLET_CONNECTION_MAX_AMOUNT, INLET_CONNECTION_FLOW_RATE,
-- INLET_ACCOUNT_FLOW_RATE). Flow rates are in the asset's smallest unit per second.
CREATE TABLE account_limits (
  account_id            bigint PRIMARY KEY REFERENCES accounts (id),
  max_open_connections  integer CHECK (max_open_connections > 0),
  max_connection_amount uint64,
  connection_flow_rate  uint64 CHECK (connection_flow_rate > 0),
  account_flow_rate     uint64 CHECK (account_flow_rate > 0),
  -- ILP address prefixes whose senders (ConnectionNewAddress) the account refuses: sender-blocked
  deny_prefixes         text[] NOT NULL DEFAULT '{}',
  updated_at            timestamptz NOT NULL DEFAULT now()
);
