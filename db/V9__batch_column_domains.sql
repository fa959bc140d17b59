-- The single-column rules of the tables every ledger batch writes (accounts, transfers, entries, packets) move from
-- table CHECK constraints to domains; the rules themselves do not change.
--
-- Why: PostgreSQL rebuilds a table's CHECK constraints from their stored text on every statement that writes the
-- table (parsed, planned and compiled per execution), and checks all of them on every row it writes, whatever
-- columns changed. The batch statement wrote four tables carrying twelve of them (six after this), about a sixth of
-- a small batch's cost in the database (docs/performance.md, "Modest load"). A domain's rule is parsed once per
-- connection (the type cache keeps it) and checked only where a value is assigned to the column, so the account
-- update checks only what it writes. What stays a table CHECK spans columns (accounts_available, transfers' packets and reservation
-- rules), is read by a function whose body PostgreSQL binds to the column (accounts' asset scale:
-- inlet_voucher_json), or sits on a uint64 column (the amounts of transfers and packets, > 0): a column changed from
-- one domain to another is rewritten whole, and packets is the largest table there is.
--
-- accounts_check (balance >= 0 for other than the connector) goes: accounts_available (balance - reserved >= 0)
-- with reserved >= 0 implies it.
--
-- The columns keep their base types and values, and no table is rewritten: each domain is over the column's own base
-- type and gets its rule only after the columns are changed (a binary-compatible change to a domain without rules),
-- and adding the rule then checks the existing rows once.

CREATE DOMAIN nonzero_units AS numeric(21, 0);  -- an entry's amount: a debit (< 0) or a credit (> 0)
CREATE DOMAIN unsigned_units AS numeric(21, 0);  -- an account's reserved money
CREATE DOMAIN account_kind AS text;
CREATE DOMAIN transfer_kind AS text;
CREATE DOMAIN transfer_state AS text;

ALTER TABLE accounts
  DROP CONSTRAINT accounts_kind_check,
  DROP CONSTRAINT accounts_reserved_check,
  DROP CONSTRAINT accounts_check,
  ALTER COLUMN kind TYPE account_kind,
  ALTER COLUMN reserved TYPE unsigned_units;

ALTER TABLE transfers
  DROP CONSTRAINT transfers_kind_check,
  DROP CONSTRAINT transfers_state_check,
  ALTER COLUMN kind TYPE transfer_kind,
  ALTER COLUMN state TYPE transfer_state;

ALTER TABLE entries
  DROP CONSTRAINT entries_amount_check,
  ALTER COLUMN amount TYPE nonzero_units;

ALTER DOMAIN nonzero_units ADD CONSTRAINT nonzero_units_check CHECK (VALUE <> 0);
ALTER DOMAIN unsigned_units ADD CONSTRAINT unsigned_units_check CHECK (VALUE >= 0);
ALTER DOMAIN account_kind ADD CONSTRAINT account_kind_check CHECK (VALUE IN ('receiving', 'connector', 'voucher'));
ALTER DOMAIN transfer_kind ADD CONSTRAINT transfer_kind_check
  CHECK (VALUE IN ('credit', 'payout', 'refund', 'voucher', 'redemption', 'pull'));
ALTER DOMAIN transfer_state ADD CONSTRAINT transfer_state_check CHECK (VALUE IN ('pending', 'posted', 'voided'));
