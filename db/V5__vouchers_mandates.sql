-- Payment pointers that pay out to whoever opens them: vouchers (gift codes, paid once in total) and pull-payment
-- mandates (RFC 0036 agreements: up to an amount per interval). The client connects to the pointer, tells its address
-- (ConnectionNewAddress) and opens a stream with a receive limit; Inlet pays it with its STREAM sender, each
-- redemption or pull a payout row (kind 'redemption' or 'pull') that spends a reservation like any payout.
--
-- A voucher's money moves out of its account when it is made: a transfer (kind 'voucher', two entries) from the
-- account to the voucher's own holding account (kind 'voucher'); redemptions are payouts from the holding account;
-- revoke and expiry move what is left back (another 'voucher' transfer, counted in vouchers.released). So at every
-- moment: amount = paid out (the holding account's postings) + released + the holding account's balance.

ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('receiving', 'connector', 'voucher'));

ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check
  CHECK (kind IN ('credit', 'payout', 'refund', 'voucher', 'redemption', 'pull'));
-- A voucher's funding or release moves money between two accounts without packets.
ALTER TABLE transfers DROP CONSTRAINT transfers_packets_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_packets_check
  CHECK (packets > 0 OR account_id IS NOT NULL OR kind = 'voucher');

CREATE TABLE vouchers (
  id              bigserial PRIMARY KEY,
  public_id       text NOT NULL UNIQUE,                     -- "vch_" and 26 random base32 characters
  code_hash       bytea NOT NULL UNIQUE,                    -- SHA-256 of the code (the pointer's path)
  code_sealed     bytea NOT NULL,                           -- the code, sealed (Sealer): shown to its owner again
  account_id      bigint NOT NULL REFERENCES accounts (id), -- whose money it is
  holding_id      bigint NOT NULL UNIQUE REFERENCES accounts (id),
  merchant_id     bigint REFERENCES merchants (id),         -- made over /v1; null: the admin API
  amount          uint64 NOT NULL CHECK (amount > 0),
  released        uint64 NOT NULL DEFAULT 0,                -- moved back to the account (revoke, expiry)
  state           text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'redeemed', 'expired', 'revoked')),
  note            text,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ended_at        timestamptz,
  idempotency_key text,
  request_hash    bytea,
  CHECK (released <= amount),
  CHECK ((state = 'active') = (ended_at IS NULL))
);
CREATE UNIQUE INDEX vouchers_by_idempotency_key ON vouchers (coalesce(merchant_id, 0), idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX vouchers_by_account ON vouchers (account_id, id DESC);
CREATE INDEX vouchers_active ON vouchers (expires_at) WHERE state = 'active';
-- Holding accounts with money: what an ended voucher still holds is looked for among these.
CREATE INDEX accounts_voucher_holding ON accounts (id) WHERE kind = 'voucher' AND balance > 0;

-- A pull-payment mandate: a service may pull up to amount per interval (ISO 8601 duration) from the account, for
-- cycles intervals from start (or until expires_at). cap: unused amounts do not roll over (true, the default) or
-- add to later intervals (false), as RFC 0036's agreements say.
CREATE TABLE mandates (
  id              bigserial PRIMARY KEY,
  public_id       text NOT NULL UNIQUE,                     -- "mdt_" and 26 random base32 characters
  code_hash       bytea NOT NULL UNIQUE,
  code_sealed     bytea NOT NULL,
  account_id      bigint NOT NULL REFERENCES accounts (id),
  merchant_id     bigint REFERENCES merchants (id),
  amount          uint64 NOT NULL CHECK (amount > 0),       -- per interval, the account's units
  interval        text NOT NULL,                            -- ISO 8601 duration, e.g. P1M, P7D, PT1H
  cycles          integer CHECK (cycles > 0),               -- null: until expires_at or revoked
  cap             boolean NOT NULL DEFAULT true,
  start           timestamptz NOT NULL,
  expires_at      timestamptz,
  ends_at         timestamptz,                              -- the earlier of expires_at and the end of the last cycle

  state           text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'expired', 'revoked')),
  note            text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ended_at        timestamptz,
  idempotency_key text,
  request_hash    bytea,
  CHECK ((state = 'active') = (ended_at IS NULL))
);
CREATE UNIQUE INDEX mandates_by_idempotency_key ON mandates (coalesce(merchant_id, 0), idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX mandates_by_account ON mandates (account_id, id DESC);
CREATE INDEX mandates_active ON mandates (ends_at) WHERE state = 'active';

-- Redemptions and pulls are payouts over the client's own connection (like refunds over the payer's): the
-- connection (its shared secret), the client's stream, and the first sequence after Inlet's address check.
ALTER TABLE payouts DROP CONSTRAINT payouts_kind_check;
ALTER TABLE payouts ADD CONSTRAINT payouts_kind_check CHECK (kind IN ('payout', 'refund', 'redemption', 'pull'));
ALTER TABLE payouts DROP CONSTRAINT payouts_check1;
ALTER TABLE payouts ADD CONSTRAINT payouts_connection CHECK ((kind = 'payout') = (connection_id IS NULL));
ALTER TABLE payouts
  ADD COLUMN voucher_id     bigint REFERENCES vouchers (id),
  ADD COLUMN mandate_id     bigint REFERENCES mandates (id),
  ADD COLUMN cycle          integer,        -- pulls: the mandate's interval, 1 for the first
  ADD COLUMN first_sequence bigint,         -- redemptions and pulls: Inlet's first STREAM sequence of the payment
  ADD CONSTRAINT payouts_source CHECK (
    (kind = 'redemption') = (voucher_id IS NOT NULL) AND (kind = 'pull') = (mandate_id IS NOT NULL
      AND cycle IS NOT NULL));
CREATE INDEX payouts_by_voucher ON payouts (voucher_id) WHERE voucher_id IS NOT NULL;
CREATE INDEX payouts_by_mandate ON payouts (mandate_id, cycle) WHERE mandate_id IS NOT NULL;

-- A voucher as the API and its events show it (without the code, its pointer and its SPSP URL, which the request's
-- host decides). Amounts as decimal strings.
CREATE FUNCTION inlet_voucher_json(v vouchers) RETURNS jsonb
  LANGUAGE sql STABLE
  RETURN (
    SELECT jsonb_build_object(
      'id', v.public_id, 'account', a.name, 'state', v.state, 'amount', v.amount::text,
      'paid_out', (v.amount - v.released - h.balance)::text, 'remaining', h.balance::text,
      'released', v.released::text, 'asset_code', a.asset_code, 'asset_scale', a.asset_scale, 'note', v.note,
      'created_at', inlet_time(v.created_at), 'expires_at', inlet_time(v.expires_at),
      'ended_at', inlet_time(v.ended_at))
    FROM accounts a, accounts h
    WHERE a.id = v.account_id AND h.id = v.holding_id);

-- The payouts' JSON names the voucher or mandate they paid out of.
CREATE OR REPLACE FUNCTION inlet_payout_json(p payouts) RETURNS jsonb
  LANGUAGE sql STABLE
  RETURN (
    SELECT jsonb_build_object(
      'id', p.public_id, 'kind', p.kind, 'account', a.name, 'state', p.state, 'receiver', p.receiver,
      'invoice', (SELECT i.public_id FROM invoices i WHERE i.id = p.invoice_id),
      'voucher', (SELECT v.public_id FROM vouchers v WHERE v.id = p.voucher_id),
      'mandate', (SELECT m.public_id FROM mandates m WHERE m.id = p.mandate_id), 'cycle', p.cycle,
      'payment', encode(p.connection_id, 'hex'), 'destination', p.destination,
      'amount', p.amount::text, 'sent', p.sent::text, 'delivered', p.delivered::text,
      'asset_code', a.asset_code, 'asset_scale', a.asset_scale, 'error', p.error,
      'receipt', translate(encode(p.receipt, 'base64'), E'\n', ''),
      'created_at', inlet_time(p.created_at), 'ended_at', inlet_time(p.ended_at))
    FROM accounts a
    WHERE a.id = coalesce((SELECT v.account_id FROM vouchers v WHERE v.id = p.voucher_id), p.account_id));

-- Events keep their data as json text, not jsonb: every reader sends it as text (inlet_event_json), and the ledger's
-- batch statement builds one payment.received per connection it credits, which json_build_object does without
-- jsonb's binary form. (jsonb values cast to json keep their jsonb key order.)
DROP FUNCTION inlet_event_json(events);
ALTER TABLE events ALTER COLUMN data TYPE json USING data::json;
CREATE FUNCTION inlet_event_json(e events) RETURNS text
  LANGUAGE sql STABLE
  RETURN '{"id":' || e.id || ',"type":' || to_json(e.type)::text || ',"created_at":"' || inlet_time(e.created_at)
         || '","data":' || e.data::text || '}';
