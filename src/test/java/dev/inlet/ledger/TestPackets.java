package dev.inlet.ledger;

import dev.inlet.ledger.PacketRecord.DataChunk;
import dev.inlet.ledger.PacketRecord.StreamCredit;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Decrypted packets as the ledger takes them, for the ledger's tests: expiring in 30 s. */
public final class TestPackets {
  private TestPackets() {}

  /** A packet with every field the tests vary; no source address. */
  public static PacketRecord packet(
      byte[] connection,
      long account,
      long sequence,
      long amount,
      boolean fulfillable,
      boolean close,
      List<StreamCredit> streams,
      List<DataChunk> data) {
    return new PacketRecord(
        connection,
        account,
        0L,
        null,
        sequence,
        amount,
        Instant.now().plusSeconds(30),
        fulfillable,
        close,
        streams,
        data);
  }

  /** A fulfillable packet paying {@code amount} on stream 1, nothing else. */
  public static PacketRecord paying(byte[] connection, long account, long sequence, long amount) {
    return packet(
        connection,
        account,
        sequence,
        amount,
        true,
        false,
        List.of(new StreamCredit(1, amount, false)),
        List.of());
  }

  /** Applies {@link #paying} to {@code ledger} and waits (at most 30 s) for its outcome. */
  public static PacketOutcome pay(
      Ledger ledger, byte[] connection, long account, long sequence, long amount) throws Exception {
    return ledger.apply(paying(connection, account, sequence, amount)).get(30, TimeUnit.SECONDS);
  }
}
