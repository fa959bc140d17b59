-- Passing ConnectionMaxData closes the connection (RFC 0029 §4.5: "The receiving endpoint MUST close the connection
-- with a FlowControlError if the sender violates the advertised limit"). V2 refused the packet with DATA_LIMIT but
-- left the connection open; only the assignment marked "V4" below differs from V2.
--
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
CREATE OR REPLACE FUNCTION inlet_apply_packets(
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
  n int := coalesce(array_length(p_connection, 1), 0);
  paid_in numeric := 0;
  acct record;
  conn record;
  result text;
  transfer bigint;
  new_bytes int;
  i int;
  j int;
  k int;
BEGIN
  -- Lock every account the batch touches in id order, so concurrent batches (other replicas) cannot deadlock.
  PERFORM 1 FROM accounts a WHERE a.id = ANY (p_account) OR a.id = p_connector ORDER BY a.id FOR UPDATE;

  FOR i IN 1 .. n LOOP
    INSERT INTO connections AS c (id, account_id) VALUES (p_connection[i], p_account[i])
      ON CONFLICT (id) DO NOTHING;
    SELECT * INTO conn FROM connections c WHERE c.id = p_connection[i] FOR UPDATE;
    SELECT * INTO acct FROM accounts a WHERE a.id = p_account[i];
    result := NULL;

    IF conn.closed_at IS NOT NULL THEN
      result := 'CONNECTION_CLOSED';
    ELSIF NOT p_fulfill[i] THEN
      result := 'REJECTED';
    ELSIF p_amount[i] > 0
        AND EXISTS (SELECT 1 FROM transfers t WHERE t.connection_id = conn.id AND t.sequence = p_sequence[i]) THEN
      SELECT CASE WHEN t.amount = p_amount[i] THEN 'DUPLICATE' ELSE 'SEQUENCE_REUSED' END INTO result
        FROM transfers t WHERE t.connection_id = conn.id AND t.sequence = p_sequence[i];
    ELSIF acct.received + p_amount[i] > max_u64 OR conn.total_received + p_amount[i] > max_u64 THEN
      result := 'OVERFLOW';
    ELSIF acct.receive_limit IS NOT NULL AND acct.received + p_amount[i] > acct.receive_limit THEN
      result := 'LIMIT_EXCEEDED';
    END IF;

    IF result IS NULL THEN
      FOR j IN 1 .. coalesce(array_length(s_packet, 1), 0) LOOP
        CONTINUE WHEN s_packet[j] <> i;
        IF EXISTS (SELECT 1 FROM streams s WHERE s.connection_id = conn.id AND s.stream_id = s_stream[j]
                     AND (s.closed AND s_amount[j] > 0 OR s.received + s_amount[j] > max_u64)) THEN
          result := CASE WHEN s_amount[j] > 0 AND (SELECT s.closed FROM streams s
                           WHERE s.connection_id = conn.id AND s.stream_id = s_stream[j])
                         THEN 'STREAM_CLOSED' ELSE 'OVERFLOW' END;
        END IF;
      END LOOP;
    END IF;

    IF result IS NULL THEN
      new_bytes := 0;
      FOR k IN 1 .. coalesce(array_length(d_packet, 1), 0) LOOP
        CONTINUE WHEN d_packet[k] <> i;
        IF NOT EXISTS (SELECT 1 FROM stream_data x WHERE x.connection_id = conn.id
                         AND x.stream_id = d_stream[k] AND x."offset" = d_offset[k]) THEN
          new_bytes := new_bytes + length(d_data[k]);
        END IF;
      END LOOP;
      IF conn.data_bytes + new_bytes > p_max_data_bytes THEN
        result := 'DATA_LIMIT';
      END IF;
    END IF;

    IF result IS NULL THEN
      result := 'FULFILLED';
      IF p_amount[i] > 0 THEN
        INSERT INTO transfers (connection_id, sequence, amount) VALUES (conn.id, p_sequence[i], p_amount[i])
          RETURNING id INTO transfer;
        INSERT INTO entries (transfer_id, account_id, amount)
          VALUES (transfer, p_connector, -p_amount[i]), (transfer, acct.id, p_amount[i]);
        UPDATE accounts a SET balance = a.balance + p_amount[i], received = a.received + p_amount[i]
          WHERE a.id = acct.id RETURNING * INTO acct;
        paid_in := paid_in + p_amount[i];
      END IF;
      UPDATE connections c SET total_received = c.total_received + p_amount[i],
          packets_fulfilled = c.packets_fulfilled + 1, last_packet_at = now(),
          source_address = coalesce(p_source[i], c.source_address),
          closed_at = CASE WHEN p_close[i] THEN now() ELSE c.closed_at END,
          data_bytes = c.data_bytes + new_bytes
        WHERE c.id = conn.id;
      FOR j IN 1 .. coalesce(array_length(s_packet, 1), 0) LOOP
        CONTINUE WHEN s_packet[j] <> i;
        INSERT INTO streams AS s (connection_id, stream_id, received, receive_max, closed)
          VALUES (conn.id, s_stream[j], s_amount[j],
                  CASE WHEN acct.receive_limit IS NULL THEN max_u64
                       ELSE least(max_u64, s_amount[j] + acct.receive_limit - acct.received) END,
                  s_close[j])
          ON CONFLICT ON CONSTRAINT streams_pkey DO UPDATE SET
            received = s.received + excluded.received,
            receive_max = greatest(s.receive_max, CASE WHEN acct.receive_limit IS NULL THEN max_u64
                ELSE least(max_u64, s.received + excluded.received + acct.receive_limit - acct.received) END),
            closed = s.closed OR excluded.closed;
      END LOOP;
      FOR k IN 1 .. coalesce(array_length(d_packet, 1), 0) LOOP
        CONTINUE WHEN d_packet[k] <> i;
        INSERT INTO stream_data (connection_id, stream_id, "offset", data)
          VALUES (conn.id, d_stream[k], d_offset[k], d_data[k]) ON CONFLICT DO NOTHING;
      END LOOP;
    ELSIF result <> 'DUPLICATE' THEN
      UPDATE connections c SET packets_rejected = c.packets_rejected + 1, last_packet_at = now(),
          source_address = coalesce(p_source[i], c.source_address),
          -- V4: DATA_LIMIT is a FlowControlError, which closes the connection too.
          closed_at = CASE WHEN p_close[i] OR result = 'DATA_LIMIT' THEN coalesce(c.closed_at, now())
                           ELSE c.closed_at END
        WHERE c.id = conn.id;
    END IF;

    -- Report each stream's totals: what StreamMaxMoney advertises and receipts sign.
    IF NOT EXISTS (SELECT 1 FROM unnest(s_packet) AS sp WHERE sp = i) THEN
      packet := i; outcome := result; stream_id := NULL; received := NULL; receive_max := NULL;
      RETURN NEXT;
    END IF;
    FOR j IN 1 .. coalesce(array_length(s_packet, 1), 0) LOOP
      CONTINUE WHEN s_packet[j] <> i;
      packet := i; outcome := result; stream_id := s_stream[j];
      SELECT s.received, s.receive_max INTO received, receive_max
        FROM streams s WHERE s.connection_id = conn.id AND s.stream_id = s_stream[j];
      IF NOT FOUND THEN
        received := 0;
        receive_max := CASE WHEN acct.receive_limit IS NULL THEN max_u64
                            ELSE greatest(0, least(max_u64, acct.receive_limit - acct.received)) END;
      END IF;
      RETURN NEXT;
    END LOOP;
  END LOOP;

  IF paid_in > 0 THEN
    UPDATE accounts a SET balance = a.balance - paid_in WHERE a.id = p_connector;
  END IF;
END;
$$;
