-- The ledger writer keeps committed state in memory and writes each batch in one statement that first checks
-- nothing changed behind it; and a batch posts one transfer per account instead of one per packet.

-- Each connection row carries a version, bumped by every write of the connection or its streams (0: created by
-- the current transaction, not written yet). Rows from before have been written.
ALTER TABLE connections ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE connections ALTER COLUMN version SET DEFAULT 0;

-- Connection and stream rows are updated by almost every batch: room on each page keeps those updates
-- heap-only (HOT), without new index entries.
ALTER TABLE connections SET (fillfactor = 70);
ALTER TABLE streams SET (fillfactor = 70);

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
INSERT INTO packets (connection_id, sequence, amount, transfer_id)
  SELECT connection_id, sequence, amount, id FROM transfers;

-- A transfer now posts a batch's packets to one account (debit the connector, credit the account: two entries).
ALTER TABLE transfers DROP COLUMN connection_id, DROP COLUMN sequence;
ALTER TABLE transfers ADD COLUMN packets integer NOT NULL DEFAULT 1 CHECK (packets > 0);
ALTER TABLE transfers ALTER COLUMN packets DROP DEFAULT;

-- An unsigned 64-bit amount, sent as the signed bigint holding its bits, as numeric.
CREATE FUNCTION inlet_u64(bits bigint) RETURNS numeric
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT CASE WHEN bits < 0 THEN bits::numeric + 18446744073709551616 ELSE bits::numeric END $$;

-- Aborts the statement (and so everything it wrote) when a count differs from the expected one.
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
