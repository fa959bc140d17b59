package dev.inlet.bench;

import dev.inlet.crypto.StreamKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The fulfillment of a Prepare, HMAC-SHA256(fulfillmentKey, data) over its 100 bytes of encrypted
 * data (RFC 0029 §6.3): the JDK's {@code Mac} against BouncyCastle's {@code HMac}, each keyed per
 * call as main does.
 */
public class FulfillmentBenchmark extends BenchmarkSettings {
  private StreamKeys jdkKeys;
  private BcStreamKeys bcKeys;
  private byte[] data;

  @Setup
  public void setUp() {
    jdkKeys = StreamKeys.derive(Fixtures.sharedSecret());
    bcKeys = new BcStreamKeys(jdkKeys);
    data = Fixtures.encryptedPrepare(jdkKeys);
    Fixtures.check("fulfillment", jdk(), bouncyCastle());
  }

  @Benchmark
  public byte[] jdk() {
    return jdkKeys.fulfillment(data);
  }

  @Benchmark
  public byte[] bouncyCastle() {
    return bcKeys.fulfillment(data);
  }
}
