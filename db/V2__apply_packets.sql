-- Applies a batch of decrypted STREAM Prepares in one transaction (group commit: one WAL flush for the batch).
-- Every check that guards money runs here, under row locks, so replicas sharing this database agree.
--
-- Packets i = 1..n:  p_connection[i], p_account[i], p_source[i] (ConnectionNewAddress or null),
--   p_sequence[i], p_amount[i] (the Prepare amount), p_fulfill[i] (false: the receiver already rejects it and
--   only records that), p_close[i] (close the connection: ConnectionClose, or a protocol violation).
-- Stream items j: s_packet[j] = i, s_stream[j], s_amount[j] (this stream's share of the amount), s_close[j].
-- Data chunks k: d_packet[k] = i, d_stream[k], d_offset[k], d_data[k].
--
-- Returns, per packet, one row per stream item (or one row with a null stream when it has none):
--   outcome: FULFILLED, DUPLICATE (same sequence and amount credited before: fulfil again, credit nothing),
--            SEQUENCE_REUSED, CONNECTION_CLOSED, STREAM_CLOSED, LIMIT_EXCEEDED, OVERFLOW, DATA_LIMIT, REJECTED;
--   received / receive_max: the stream's totals after this packet, for StreamMaxMoney and receipts.
--
-- Cost: the batch is read in one pass (arrays are unnested once and grouped per packet), and a common packet —
-- one stream, no data — takes six statements; account balances are written once per run of packets to the same
-- account, the connector's once per batch.
CREATE FUNCTION inlet_apply_packets(
  p_connection bytea[], p_account bigint[], p_source text[], p_sequence bigint[], p_amount numeric[],
  p_fulfill boolean[], p_close boolean[],
  s_packet int[], s_stream bigint[], s_amount numeric[], s_close boolean[],
  d_packet int[], d_stream bigint[], d_offset bigint[], d_data bytea[],
  p_connector bigint, p_max_data_bytes int)
RETURNS TABLE (packet int, outcome text, stream_id bigint, received numeric, receive_max numeric)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  max_u64 CONSTANT numeric := 18446744073709551615;
  pk record;
  paid_in numeric := 0;
  -- the current run's account, its totals including this batch's credits not yet written, and its limit
  a_id bigint;
  a_received numeric;
  a_limit numeric;
  a_pending numeric := 0;
  -- the packet's connection as stored (zeros when new)
  c_total numeric;
  c_closed boolean;
  c_data int;
  -- the packet's streams as stored, in the order of pk.ids
  st_received numeric[];
  st_max numeric[];
  st_closed boolean[];
  n_streams int;
  new_bytes int;
  result text;
  transfer bigint;
  prior numeric;
  got_received numeric;
  got_max numeric;
  j int;
BEGIN
  -- Lock every account the batch touches in id order, so concurrent batches (other replicas) cannot deadlock.
  PERFORM 1 FROM accounts a
    WHERE a.id IN (SELECT DISTINCT x FROM unnest(p_account) x) OR a.id = p_connector
    ORDER BY a.id FOR UPDATE;

  FOR pk IN
    SELECT u.i, u.conn, u.acct, u.src, u.seq, u.amt, u.ful, u.cls,
           coalesce(s.ids, '{}') AS ids, s.amts, s.closes, d.dstreams, d.doffsets, d.ddata
    FROM unnest(p_connection, p_account, p_source, p_sequence, p_amount, p_fulfill, p_close)
           WITH ORDINALITY AS u(conn, acct, src, seq, amt, ful, cls, i)
    LEFT JOIN (SELECT x.sp, array_agg(x.sid ORDER BY x.ord) AS ids, array_agg(x.samt ORDER BY x.ord) AS amts,
                      array_agg(x.scl ORDER BY x.ord) AS closes
               FROM unnest(s_packet, s_stream, s_amount, s_close) WITH ORDINALITY AS x(sp, sid, samt, scl, ord)
               GROUP BY x.sp) s ON s.sp = u.i
    LEFT JOIN (SELECT y.dp, array_agg(y.ds ORDER BY y.ord) AS dstreams, array_agg(y.doff ORDER BY y.ord) AS doffsets,
                      array_agg(y.dd ORDER BY y.ord) AS ddata
               FROM unnest(d_packet, d_stream, d_offset, d_data) WITH ORDINALITY AS y(dp, ds, doff, dd, ord)
               GROUP BY y.dp) d ON d.dp = u.i
    ORDER BY u.i
  LOOP
    IF a_id IS DISTINCT FROM pk.acct THEN
      IF a_pending > 0 THEN
        UPDATE accounts a SET balance = a.balance + a_pending, received = a.received + a_pending WHERE a.id = a_id;
      END IF;
      SELECT a.id, a.received, a.receive_limit INTO a_id, a_received, a_limit FROM accounts a WHERE a.id = pk.acct;
      a_pending := 0;
    END IF;

    SELECT c.total_received, c.closed_at IS NOT NULL, c.data_bytes INTO c_total, c_closed, c_data
      FROM connections c WHERE c.id = pk.conn FOR UPDATE;
    IF NOT FOUND THEN
      -- A connection's first packet: create its row (transfers reference it), then read it under lock, in case
      -- another replica created it meanwhile.
      INSERT INTO connections (id, account_id) VALUES (pk.conn, pk.acct) ON CONFLICT (id) DO NOTHING;
      SELECT c.total_received, c.closed_at IS NOT NULL, c.data_bytes INTO c_total, c_closed, c_data
        FROM connections c WHERE c.id = pk.conn FOR UPDATE;
    END IF;

    n_streams := coalesce(array_length(pk.ids, 1), 0);
    IF n_streams > 0 THEN
      SELECT array_agg(coalesce(s.received, 0) ORDER BY t.ord), array_agg(s.receive_max ORDER BY t.ord),
             array_agg(coalesce(s.closed, false) ORDER BY t.ord)
        INTO st_received, st_max, st_closed
        FROM unnest(pk.ids) WITH ORDINALITY AS t(id, ord)
        LEFT JOIN streams s ON s.connection_id = pk.conn AND s.stream_id = t.id;
    ELSE
      st_received := array_fill(0::numeric, ARRAY[n_streams]);
      st_max := array_fill(NULL::numeric, ARRAY[n_streams]);
      st_closed := array_fill(false, ARRAY[n_streams]);
    END IF;

    result := NULL;
    transfer := NULL;
    new_bytes := 0;
    IF c_closed THEN
      result := 'CONNECTION_CLOSED';
    ELSIF NOT pk.ful THEN
      result := 'REJECTED';
    ELSIF pk.amt > 0 THEN
      -- Claim the sequence first: a retry of a credited packet is a duplicate whatever the limits say now.
      INSERT INTO transfers (connection_id, sequence, amount)
        VALUES (pk.conn, pk.seq, pk.amt)
        ON CONFLICT (connection_id, sequence) DO NOTHING
        RETURNING id INTO transfer;
      IF transfer IS NULL THEN
        SELECT t.amount INTO prior FROM transfers t WHERE t.connection_id = pk.conn AND t.sequence = pk.seq;
        result := CASE WHEN prior = pk.amt THEN 'DUPLICATE' ELSE 'SEQUENCE_REUSED' END;
      END IF;
    END IF;

    IF result IS NULL THEN
      IF a_received + pk.amt > max_u64 OR c_total + pk.amt > max_u64 THEN
        result := 'OVERFLOW';
      ELSIF a_limit IS NOT NULL AND a_received + pk.amt > a_limit THEN
        result := 'LIMIT_EXCEEDED';
      END IF;
      FOR j IN 1 .. n_streams LOOP
        EXIT WHEN result IS NOT NULL;
        IF st_closed[j] AND pk.amts[j] > 0 THEN
          result := 'STREAM_CLOSED';
        ELSIF st_received[j] + pk.amts[j] > max_u64 THEN
          result := 'OVERFLOW';
        END IF;
      END LOOP;
      IF result IS NULL AND pk.dstreams IS NOT NULL THEN
        FOR j IN 1 .. array_length(pk.dstreams, 1) LOOP
          IF NOT EXISTS (SELECT 1 FROM stream_data x WHERE x.connection_id = pk.conn
                           AND x.stream_id = pk.dstreams[j] AND x."offset" = pk.doffsets[j]) THEN
            new_bytes := new_bytes + length(pk.ddata[j]);
          END IF;
        END LOOP;
        IF c_data + new_bytes > p_max_data_bytes THEN
          result := 'DATA_LIMIT';
        END IF;
      END IF;
      IF result IS NOT NULL AND transfer IS NOT NULL THEN
        DELETE FROM transfers t WHERE t.id = transfer;
      END IF;
    END IF;

    IF result IS NULL THEN
      result := 'FULFILLED';
      IF transfer IS NOT NULL THEN
        INSERT INTO entries (transfer_id, account_id, amount)
          VALUES (transfer, p_connector, -pk.amt), (transfer, a_id, pk.amt);
        a_received := a_received + pk.amt;
        a_pending := a_pending + pk.amt;
        paid_in := paid_in + pk.amt;
      END IF;
      UPDATE connections c SET
          total_received = c.total_received + pk.amt,
          packets_fulfilled = c.packets_fulfilled + 1,
          last_packet_at = now(),
          source_address = coalesce(pk.src, c.source_address),
          closed_at = CASE WHEN pk.cls THEN coalesce(c.closed_at, now()) ELSE c.closed_at END,
          data_bytes = c.data_bytes + new_bytes
        WHERE c.id = pk.conn;
      FOR j IN 1 .. n_streams LOOP
        INSERT INTO streams AS s (connection_id, stream_id, received, receive_max, closed)
          VALUES (pk.conn, pk.ids[j], pk.amts[j],
                  CASE WHEN a_limit IS NULL THEN max_u64
                       ELSE least(max_u64, pk.amts[j] + a_limit - a_received) END,
                  pk.closes[j])
          ON CONFLICT ON CONSTRAINT streams_pkey DO UPDATE SET
            received = s.received + excluded.received,
            receive_max = greatest(s.receive_max, CASE WHEN a_limit IS NULL THEN max_u64
                ELSE least(max_u64, s.received + excluded.received + a_limit - a_received) END),
            closed = s.closed OR excluded.closed
          RETURNING s.received, s.receive_max INTO got_received, got_max;
        packet := pk.i; outcome := result; stream_id := pk.ids[j]; received := got_received;
        receive_max := got_max;
        RETURN NEXT;
      END LOOP;
      IF pk.dstreams IS NOT NULL THEN
        FOR j IN 1 .. array_length(pk.dstreams, 1) LOOP
          INSERT INTO stream_data (connection_id, stream_id, "offset", data)
            VALUES (pk.conn, pk.dstreams[j], pk.doffsets[j], pk.ddata[j]) ON CONFLICT DO NOTHING;
        END LOOP;
      END IF;
    ELSE
      IF result <> 'DUPLICATE' THEN
        UPDATE connections c SET
            packets_rejected = c.packets_rejected + 1,
            last_packet_at = now(),
            source_address = coalesce(pk.src, c.source_address),
            -- Past ConnectionMaxData is a FlowControlError: it closes the connection (RFC 0029 §4.5).
            closed_at = CASE WHEN pk.cls OR result = 'DATA_LIMIT' THEN coalesce(c.closed_at, now())
                             ELSE c.closed_at END
          WHERE c.id = pk.conn;
      END IF;
      -- Nothing written to the streams: report them as stored, or as a new stream would start.
      FOR j IN 1 .. n_streams LOOP
        packet := pk.i; outcome := result; stream_id := pk.ids[j]; received := st_received[j];
        receive_max := coalesce(st_max[j], CASE WHEN a_limit IS NULL THEN max_u64
            ELSE greatest(0, least(max_u64, st_received[j] + a_limit - a_received)) END);
        RETURN NEXT;
      END LOOP;
    END IF;

    IF n_streams = 0 THEN
      packet := pk.i; outcome := result; stream_id := NULL; received := NULL; receive_max := NULL;
      RETURN NEXT;
    END IF;
  END LOOP;

  IF a_pending > 0 THEN
    UPDATE accounts a SET balance = a.balance + a_pending, received = a.received + a_pending WHERE a.id = a_id;
  END IF;
  IF paid_in > 0 THEN
    UPDATE accounts a SET balance = a.balance - paid_in WHERE a.id = p_connector;
  END IF;
END;
$$;
