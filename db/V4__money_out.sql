-- Money that leaves: payouts to any payment pointer and refunds over the connection that paid. A pending transfer
-- reserves the amount from the account's available balance; each batch of fulfilled outgoing packets posts its part
-- (a posted transfer with two entries: the account debited, the connector's outgoing account credited); when the
-- payment ends, what is neither posted nor in doubt is released and the pending transfer is posted (some money left)
-- or voided (none did). Per pending transfer: amount = posted + released + remaining, always.

-- Available balance = balance - reserved, never below zero.
ALTER TABLE accounts ADD COLUMN reserved numeric(21, 0) NOT NULL DEFAULT 0 CHECK (reserved >= 0);
ALTER TABLE accounts ADD CONSTRAINT accounts_available CHECK (kind = 'connector' OR balance - reserved >= 0);

ALTER TABLE transfers
  ADD COLUMN kind       text NOT NULL DEFAULT 'credit' CHECK (kind IN ('credit', 'payout', 'refund', 'voucher')),
  ADD COLUMN state      text NOT NULL DEFAULT 'posted' CHECK (state IN ('pending', 'posted', 'voided')),
  -- A reservation (a pending transfer, or one that ended): the account it reserves from, what it still holds
  -- (in flight or in doubt), what it posted and what it released. Null for postings and credits.
  ADD COLUMN account_id bigint REFERENCES accounts (id),
  ADD COLUMN remaining  uint64,
  ADD COLUMN posted     uint64,
  ADD COLUMN released   uint64,
  -- A posting: the reservation whose money it moves.
  ADD COLUMN pending_id bigint REFERENCES transfers (id);
ALTER TABLE transfers DROP CONSTRAINT transfers_packets_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_packets_check CHECK (packets > 0 OR account_id IS NOT NULL);
ALTER TABLE transfers ADD CONSTRAINT transfers_reservation CHECK (
  (account_id IS NULL AND remaining IS NULL AND posted IS NULL AND released IS NULL AND state = 'posted')
  OR (account_id IS NOT NULL AND pending_id IS NULL AND kind <> 'credit'
      AND amount::numeric = remaining::numeric + posted::numeric + released::numeric
      AND (state = 'pending' OR remaining = 0)
      AND (state <> 'voided' OR posted = 0)));
CREATE INDEX transfers_by_pending ON transfers (pending_id) WHERE pending_id IS NOT NULL;

-- Every outgoing Prepare that carries money, recorded before it is sent and answered after (RFC 0029 sequence
-- numbers of its connection). 'prepared' with no answer after its expiry, or a link that lost it: 'in_doubt' —
-- still reserved, never released as if rejected, until the connection's STREAM totals or an operator settle it.
CREATE TABLE outgoing_packets (
  transfer_id   bigint NOT NULL REFERENCES transfers (id),   -- the reservation it spends
  sequence      bigint NOT NULL,
  amount        uint64 NOT NULL CHECK (amount > 0),          -- source units
  min_delivered uint64 NOT NULL,                             -- the least the receiver may accept, its units
  expires_at    timestamptz NOT NULL,
  state         text NOT NULL DEFAULT 'prepared'
                CHECK (state IN ('prepared', 'fulfilled', 'rejected', 'in_doubt')),
  delivered     uint64,                                      -- fulfilled: what arrived (its STREAM reply)
  posted_by     bigint,                                      -- fulfilled: the posting transfer
  answered_at   timestamptz,
  PRIMARY KEY (transfer_id, sequence),
  CHECK ((state = 'fulfilled') = (posted_by IS NOT NULL))
);
CREATE INDEX outgoing_packets_unanswered ON outgoing_packets (expires_at) WHERE state IN ('prepared', 'in_doubt');

-- A payout (POST /v1/payouts, /admin/payouts) or a refund (POST /v1/invoices/{id}/refunds): the payment that spends
-- one reservation.
CREATE TABLE payouts (
  id              bigserial PRIMARY KEY,
  public_id       text NOT NULL UNIQUE,          -- "po_" and 26 random base32 characters (refunds too)
  kind            text NOT NULL CHECK (kind IN ('payout', 'refund')),
  account_id      bigint NOT NULL REFERENCES accounts (id),
  merchant_id     bigint REFERENCES merchants (id),   -- who asked over /v1; null: the admin API
  transfer_id     bigint NOT NULL UNIQUE REFERENCES transfers (id),
  receiver        text,                          -- payouts: the payment pointer or SPSP URL as given
  connection_id   bytea REFERENCES connections (id),  -- refunds: the connection that paid
  invoice_id      bigint REFERENCES invoices (id),    -- refunds of an invoice's payment
  destination     text,                          -- the receiver's ILP address, once known
  shared_secret   bytea,                         -- payouts: the connection's shared secret, sealed (Sealer)
  settle_attempts integer NOT NULL DEFAULT 0,    -- times in-doubt packets were asked about by STREAM totals
  amount          uint64 NOT NULL CHECK (amount > 0), -- source units: the account's
  sent            uint64 NOT NULL DEFAULT 0,     -- source units fulfilled
  delivered       uint64 NOT NULL DEFAULT 0,     -- what arrived, in the receiver's units
  state           text NOT NULL DEFAULT 'sending' CHECK (state IN ('sending', 'completed', 'failed')),
  error           text,
  idempotency_key text,
  request_hash    bytea,
  lease_until     timestamptz,                   -- renewed by the replica sending it; past it, it was abandoned
  stream_id       bigint,                        -- refunds: the stream Inlet opened on the payer's connection
  next_sequence   bigint,                        -- when it ended: the first STREAM sequence it did not use
  receipt         bytea,                         -- the last STREAM receipt (RFC 0039) the receiver sent, if any
  created_at      timestamptz NOT NULL DEFAULT now(),
  ended_at        timestamptz,
  CHECK (sent <= amount),
  CHECK ((kind = 'refund') = (connection_id IS NOT NULL)),
  CHECK ((state = 'sending') = (ended_at IS NULL))
);
CREATE UNIQUE INDEX payouts_by_idempotency_key ON payouts (coalesce(merchant_id, 0), idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX payouts_by_account ON payouts (account_id, id DESC);
CREATE INDEX payouts_sending ON payouts (lease_until) WHERE state = 'sending';
CREATE INDEX payouts_by_connection ON payouts (connection_id) WHERE connection_id IS NOT NULL;

-- An outgoing Prepare to record (OutgoingLedger).
CREATE TYPE outgoing_prepare AS (
  transfer_id   bigint,
  sequence      bigint,
  amount        numeric,
  min_delivered numeric,
  expires_at    timestamptz
);

-- An answer to record: state 'fulfilled' (delivered set), 'rejected' or 'in_doubt'.
CREATE TYPE outgoing_answer AS (
  transfer_id bigint,
  sequence    bigint,
  state       text,
  delivered   numeric
);

-- A payout or refund as the API and its events show it. Amounts as decimal strings.
CREATE FUNCTION inlet_payout_json(p payouts) RETURNS jsonb
  LANGUAGE sql STABLE
  RETURN (
    SELECT jsonb_build_object(
      'id', p.public_id, 'kind', p.kind, 'account', a.name, 'state', p.state, 'receiver', p.receiver,
      'invoice', (SELECT i.public_id FROM invoices i WHERE i.id = p.invoice_id),
      'payment', encode(p.connection_id, 'hex'), 'destination', p.destination,
      'amount', p.amount::text, 'sent', p.sent::text, 'delivered', p.delivered::text,
      'asset_code', a.asset_code, 'asset_scale', a.asset_scale, 'error', p.error,
      'receipt', translate(encode(p.receipt, 'base64'), E'\n', ''),
      'created_at', inlet_time(p.created_at), 'ended_at', inlet_time(p.ended_at))
    FROM accounts a
    WHERE a.id = p.account_id);
