package dev.inlet.payout;

import dev.inlet.codec.ilp.IlpAddress;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.Sealer;
import dev.inlet.ledger.postgres.Uint64;
import dev.inlet.stream.sender.PacketLink;
import dev.inlet.stream.sender.StreamTotals;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settles in-doubt packets of ended payouts by the receiver's own count (RFC 0029 §5.3): asked on
 * the payout's connection, a receiver that still keeps it says how much has arrived on the payout's
 * stream ({@link StreamTotals}). What arrived beyond the packets known fulfilled came from the
 * in-doubt ones: nothing → each was rejected; with one packet in doubt and at least its minimum
 * more → it was fulfilled with that much. Anything else (several in doubt and money beyond, no
 * answer, or nothing known to have arrived before, when a receiver that forgot the connection would
 * also say 0) is left to an operator. A payout is asked at most {@link #maxAttempts} times.
 */
final class Settlement {
  private static final Logger log = LoggerFactory.getLogger(Settlement.class);

  static final int maxAttempts = 3;

  private final JdbcClient jdbc;
  private final InDoubtPackets inDoubt;
  private final PacketLink link;
  private final Sealer secrets;
  private final ConnectionTokens tokens;

  Settlement(
      DataSource dataSource,
      InDoubtPackets inDoubt,
      PacketLink link,
      Sealer secrets,
      ConnectionTokens tokens) {
    this.jdbc = JdbcClient.create(dataSource);
    this.inDoubt = inDoubt;
    this.link = link;
    this.secrets = secrets;
    this.tokens = tokens;
  }

  private record Doubtful(
      long id,
      String publicId,
      String destination,
      byte[] sealedSecret,
      byte[] connectionId,
      long streamId,
      long delivered,
      long nextSequence) {}

  private record Packet(long sequence, long minDelivered) {}

  /**
   * One pass over ended payouts with packets in doubt (blocking: the receiver is asked and answered
   * within a Prepare's life).
   *
   * @return packets settled
   */
  int settle() {
    List<Doubtful> payouts =
        jdbc.sql(
                """
                SELECT p.id, p.public_id, coalesce(p.destination, c.source_address), p.shared_secret,
                       p.connection_id, coalesce(p.stream_id, 1), p.delivered,
                       (SELECT max(o.sequence) FROM outgoing_packets o WHERE o.transfer_id = p.transfer_id)
                FROM payouts p LEFT JOIN connections c ON c.id = p.connection_id
                WHERE p.state <> 'sending' AND p.settle_attempts < ?
                  AND EXISTS (SELECT 1 FROM outgoing_packets o WHERE o.transfer_id = p.transfer_id
                              AND o.state IN ('in_doubt', 'prepared'))
                ORDER BY p.id LIMIT 20
                """)
            .param(maxAttempts)
            .query(
                (rs, n) ->
                    new Doubtful(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBytes(4),
                        rs.getBytes(5),
                        rs.getLong(6),
                        Uint64.fromNumeric(rs.getBigDecimal(7)),
                        rs.getLong(8)))
            .list();
    int settled = 0;
    for (Doubtful p : payouts) {
      jdbc.sql("UPDATE payouts SET settle_attempts = settle_attempts + 1 WHERE id = ?")
          .param(p.id())
          .update();
      try {
        settled += settle(p);
      } catch (RuntimeException e) {
        log.warn("Payout {}: its in-doubt packets could not be settled", p.publicId(), e);
      }
    }
    return settled;
  }

  private int settle(Doubtful p) {
    Optional<byte[]> secret = sharedSecret(p);
    // With nothing known to have arrived, a total of 0 could also come from a receiver that forgot
    // the connection and took the query for a new one: only an operator can tell then.
    if (p.destination() == null || secret.isEmpty() || p.delivered() == 0) {
      return 0;
    }
    // A sequence past any the dead sender may have used, logged or not (probes, the close).
    long sequence = p.nextSequence() + 1_000;
    Optional<Long> total;
    try {
      total =
          StreamTotals.query(
                  link,
                  IlpAddress.of(p.destination()),
                  secret.get(),
                  p.streamId(),
                  sequence,
                  Clock.systemUTC())
              .get(40, TimeUnit.SECONDS);
    } catch (Exception e) {
      return 0;
    }
    if (total.isEmpty() || Long.compareUnsigned(total.get(), p.delivered()) < 0) {
      return 0;
    }
    long extra = total.get() - p.delivered();
    List<Packet> packets =
        jdbc.sql(
                "SELECT o.sequence, o.min_delivered FROM outgoing_packets o JOIN payouts p"
                    + " ON p.transfer_id = o.transfer_id WHERE p.id = ?"
                    + " AND o.state IN ('in_doubt', 'prepared') ORDER BY o.sequence")
            .param(p.id())
            .query((rs, n) -> new Packet(rs.getLong(1), Uint64.fromNumeric(rs.getBigDecimal(2))))
            .list();
    if (extra == 0) {
      packets.forEach(k -> inDoubt.resolve(p.publicId(), k.sequence(), false, 0));
      log.info(
          "Payout {}: the receiver got nothing of its {} in-doubt packets; released",
          p.publicId(),
          packets.size());
      return packets.size();
    }
    if (packets.size() == 1 && Long.compareUnsigned(extra, packets.get(0).minDelivered()) >= 0) {
      inDoubt.resolve(p.publicId(), packets.get(0).sequence(), true, extra);
      log.info(
          "Payout {}: its in-doubt packet arrived ({} delivered); posted", p.publicId(), extra);
      return 1;
    }
    return 0;
  }

  private Optional<byte[]> sharedSecret(Doubtful p) {
    if (p.connectionId() != null) {
      return Optional.of(tokens.sharedSecret(p.connectionId()));
    }
    if (p.sealedSecret() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(secrets.open(p.sealedSecret()));
    } catch (DecryptionException e) {
      return Optional.empty();
    }
  }
}
