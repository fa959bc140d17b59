-- An invoice paid by one connection only is held by that connection: its credits stay in the connection's row
-- (bounded there by invoice_cap, checked by the ledger's batch statement) and the invoice's row is not written by every
-- batch. Most invoices have one payer, and the invoice row's update was a third of an invoice batch's cost
-- (docs/performance.md). The invoice row is written again, and the hold released — the holder's credits since
-- holder_base added to received — when a second connection pays it (it is then shared, never held again), when it
-- completes, and when it expires or is cancelled (the trigger below). Every release adds one to the holder's row
-- version, so a batch decided before it is refused and redone under locks.
ALTER TABLE invoices
  ADD COLUMN holder      bytea,   -- the connection holding it; its credits past holder_base are not in received yet
  ADD COLUMN holder_base uint64,  -- the holder's total_received when its credits stopped being added to received
  ADD COLUMN shared      boolean NOT NULL DEFAULT false,  -- released for a second payer once: never held again
  ADD CHECK ((holder IS NULL) = (holder_base IS NULL)),
  ADD CHECK (holder IS NULL OR state IN ('pending', 'processing'));

-- While a connection holds its invoice: its total_received may not pass this (its base plus what the invoice had
-- left when the hold began). Null otherwise.
ALTER TABLE connections ADD COLUMN invoice_cap uint64;

-- held: the connection holds its invoice and this batch's credit stays in its row; headroom: the batch makes the
-- connection the invoice's holder, with this much left to take (null otherwise).
ALTER TYPE connection_change ADD ATTRIBUTE held boolean, ADD ATTRIBUTE headroom uint64;

-- What an invoice has received: its row's amount plus what its holder took since the hold began.
CREATE FUNCTION inlet_invoice_received(i invoices) RETURNS uint64
  LANGUAGE sql STABLE
  RETURN i.received + CASE WHEN i.holder IS NULL THEN 0
                           ELSE (SELECT c.total_received - i.holder_base FROM connections c WHERE c.id = i.holder) END;

-- The invoice as the API shows it (db/V2), with what it has received given: the ledger's statement shows a row it
-- has just written, whose holder's credits of the same statement its snapshot cannot see.
CREATE FUNCTION inlet_invoice_json(i invoices, invoice_received numeric) RETURNS jsonb
  LANGUAGE sql STABLE
  RETURN (
    SELECT jsonb_build_object(
      'id', i.public_id, 'account', a.name, 'state', i.state, 'amount', i.amount::text,
      'received', invoice_received::text, 'asset_code', a.asset_code, 'asset_scale', a.asset_scale,
      'description', i.description, 'reference', i.reference, 'metadata', i.metadata,
      'created_at', inlet_time(i.created_at), 'expires_at', inlet_time(i.expires_at),
      'completed_at', inlet_time(i.completed_at), 'ended_at', inlet_time(i.ended_at))
    FROM accounts a
    WHERE a.id = i.account_id);

CREATE OR REPLACE FUNCTION inlet_invoice_json(i invoices) RETURNS jsonb
  LANGUAGE sql STABLE
  RETURN inlet_invoice_json(i, inlet_invoice_received(i));

-- An invoice that expires or is cancelled while held: the holder's credits join received, and the holder's row
-- version moves on, so that a batch of it decided before is refused (its row lock orders the two).
CREATE FUNCTION inlet_invoice_release() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  part numeric;
BEGIN
  UPDATE connections SET version = version + 1, invoice_cap = NULL WHERE id = OLD.holder
    RETURNING total_received - OLD.holder_base INTO STRICT part;
  NEW.received := NEW.received + part;
  NEW.holder := NULL;
  NEW.holder_base := NULL;
  NEW.shared := true;
  RETURN NEW;
END
$$;
CREATE TRIGGER invoices_release_on_end BEFORE UPDATE OF state ON invoices
  FOR EACH ROW WHEN (OLD.holder IS NOT NULL AND NEW.state IN ('expired', 'cancelled'))
  EXECUTE FUNCTION inlet_invoice_release();
