package dev.inlet.stream;

import dev.inlet.crypto.Receipts;
import java.time.Duration;

/** The bounds the STREAM receiver advertises and enforces (RFC 0029 §3.3, §4.4.4, §4.5, §5.1.3). */
public final class ReceiverLimits {
  private ReceiverLimits() {}

  /**
   * Largest stream id a sender may open ({@code ConnectionMaxStreamId}); 128 client streams. The
   * largest a receipt can name (RFC 0039 writes the stream id as one byte), so that every stream
   * can have receipts.
   */
  public static final long maxStreamId = Receipts.maxStreamId;

  /**
   * {@code StreamData} bytes kept per connection, across its streams ({@code ConnectionMaxData}).
   */
  public static final int maxDataBytesPerConnection = 16_384;

  /**
   * A connection ends after 2^31 packets: AES-GCM's safe limit for one key, shared by both ends.
   */
  public static final long maxPacketsPerConnection = 1L << 31;

  /**
   * A Prepare expiring sooner than this is rejected with R00: the Fulfill could not get back in
   * time.
   */
  public static final Duration minExpiryWindow = Duration.ofSeconds(1);

  /**
   * Connections a process keeps in memory: their credentials (opened tokens and derived keys) and
   * the ledger writer's state of them. Past it the least recently used are read again.
   */
  public static final int maxCachedConnections = 50_000;
}
