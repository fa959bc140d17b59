-- Merchants and their API keys, invoices (each with its own payment pointer, never overpaid), and the events that
-- report them: a transactional outbox, written in the same transaction as what it describes, read by live streams
-- and webhook deliveries. Amounts are uint64 (db/V1) in the account's smallest unit.

CREATE TABLE merchants (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A key is shown once, when made; only its SHA-256 is kept (the key is 32 random bytes, so a plain hash is enough).
CREATE TABLE api_keys (
  id          bigserial PRIMARY KEY,
  merchant_id bigint NOT NULL REFERENCES merchants (id),
  key_hash    bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id);

ALTER TABLE accounts ADD COLUMN merchant_id bigint REFERENCES merchants (id);
CREATE INDEX accounts_by_merchant ON accounts (merchant_id) WHERE merchant_id IS NOT NULL;

CREATE TABLE invoices (
  id              bigserial PRIMARY KEY,  -- sealed in connection tokens; never shown
  public_id       text NOT NULL UNIQUE,   -- "inv_" and 26 random base32 characters
  account_id      bigint NOT NULL REFERENCES accounts (id),
  merchant_id     bigint NOT NULL REFERENCES merchants (id),
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'processing', 'completed', 'expired', 'cancelled')),
  amount          uint64 NOT NULL CHECK (amount > 0),
  received        uint64 NOT NULL DEFAULT 0,
  description     text,
  reference       text,
  metadata        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  completed_at    timestamptz,            -- when received reached amount
  ended_at        timestamptz,            -- when it completed, expired or was cancelled
  idempotency_key text,
  request_hash    bytea,                  -- SHA-256 of the create request, to refuse a reused key with another body
  -- Never overpaid, and completed exactly at its amount (the ledger writer's statement keeps both).
  CHECK (received <= amount),
  CHECK ((state = 'completed') = (received = amount)),
  CHECK ((state IN ('pending', 'processing')) = (ended_at IS NULL))
);
CREATE UNIQUE INDEX invoices_by_idempotency_key ON invoices (merchant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX invoices_by_merchant ON invoices (merchant_id, created_at DESC, id DESC);
-- Open invoices by expiry, for the expiry worker.
CREATE INDEX invoices_open_by_expiry ON invoices (expires_at) WHERE state IN ('pending', 'processing');

-- Connections opened on an invoice's payment pointer pay its account and count towards the invoice.
ALTER TABLE connections ADD COLUMN invoice_id bigint REFERENCES invoices (id);
CREATE INDEX connections_by_invoice ON connections (invoice_id) WHERE invoice_id IS NOT NULL;
ALTER TYPE connection_change ADD ATTRIBUTE invoice_id bigint;

-- A timestamp as RFC 3339 in UTC with milliseconds, as the API shows every time.
CREATE FUNCTION inlet_time(t timestamptz) RETURNS text
  LANGUAGE sql STABLE
  RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

-- An invoice as the API and its events show it, without what depends on the request (payment pointer, SPSP URL)
-- or on other rows (payments). Amounts as decimal strings: no JSON client rounds them through a double. Takes the
-- row, so that a statement that has just updated the invoice shows the new row (its snapshot still has the old one).
CREATE FUNCTION inlet_invoice_json(i invoices) RETURNS jsonb
  LANGUAGE sql STABLE
  RETURN (
    SELECT jsonb_build_object(
      'id', i.public_id, 'account', a.name, 'state', i.state, 'amount', i.amount::text,
      'received', i.received::text, 'asset_code', a.asset_code, 'asset_scale', a.asset_scale,
      'description', i.description, 'reference', i.reference, 'metadata', i.metadata,
      'created_at', inlet_time(i.created_at), 'expires_at', inlet_time(i.expires_at),
      'completed_at', inlet_time(i.completed_at), 'ended_at', inlet_time(i.ended_at))
    FROM accounts a
    WHERE a.id = i.account_id);

-- The same, by the invoice's id.
CREATE FUNCTION inlet_invoice_json(invoice_id bigint) RETURNS jsonb
  LANGUAGE sql STABLE
  RETURN (SELECT inlet_invoice_json(i) FROM invoices i WHERE i.id = invoice_id);

-- The outbox. An event's id is its place in commit order: every insert first takes one transaction-scoped lock
-- (events_in_commit_order), held to the commit, so an event becomes visible only after every event with a smaller
-- id. A reader that has seen id n has seen everything up to n and can resume after it. Writers insert events last in
-- their transaction, after their row locks, so the lock is held for the commit alone.
CREATE TABLE events (
  id          bigserial PRIMARY KEY,
  merchant_id bigint,                   -- whose event; null for an account no merchant owns
  type        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  data        jsonb NOT NULL
);
CREATE INDEX events_by_merchant ON events (merchant_id, id);

-- An event as live streams, event pages and webhook deliveries send it, byte for byte (a webhook's body is this):
-- {"id", "type", "created_at", "data"}. Put together as text, not built as jsonb: the event hub renders every event
-- a live stream takes, and the text of the stored data is all the rendering needs.
CREATE FUNCTION inlet_event_json(e events) RETURNS text
  LANGUAGE sql STABLE
  RETURN '{"id":' || e.id || ',"type":' || to_json(e.type)::text || ',"created_at":"' || inlet_time(e.created_at)
         || '","data":' || e.data::text || '}';

-- Arbitrary constant: the advisory lock key of the events table. Statement triggers: the ledger's batch statement
-- inserts up to one event per connection, and a row trigger would cost more than the row.
CREATE FUNCTION inlet_events_lock() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7242353);
  RETURN NULL;
END
$$;
CREATE TRIGGER events_in_commit_order BEFORE INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION inlet_events_lock();

-- Wakes every replica's event readers at commit (NOTIFY is delivered then, once per transaction and channel), unless
-- the statement inserted nothing: a ledger batch with no merchant's money wakes no one.
CREATE FUNCTION inlet_events_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF EXISTS (SELECT FROM inserted) THEN
    PERFORM pg_notify('inlet_events', '');
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_wake_readers AFTER INSERT ON events
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION inlet_events_notify();

CREATE TABLE webhooks (
  id            bigserial PRIMARY KEY,
  public_id     text NOT NULL UNIQUE,     -- "wh_" and 26 random base32 characters
  merchant_id   bigint NOT NULL REFERENCES merchants (id),
  url           text NOT NULL,
  events        text[] NOT NULL,          -- event types it receives
  secret        bytea NOT NULL,           -- the signing secret, sealed under a key derived from the server secret
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz,
  -- Events up to this id have their deliveries made (or were before the webhook existed).
  last_event_id bigint NOT NULL
);
CREATE INDEX webhooks_by_merchant ON webhooks (merchant_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  id              bigserial PRIMARY KEY,
  public_id       text NOT NULL UNIQUE,   -- "whd_" and 26 random base32 characters
  webhook_id      bigint NOT NULL REFERENCES webhooks (id),
  event_id        bigint NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,            -- null unless pending
  last_attempt_at timestamptz,
  last_status     integer,                -- HTTP status of the last attempt; null when it got no answer
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id DESC);
