package dev.inlet.bench;

import dev.inlet.crypto.StreamKeys;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fulfillment of a Prepare, HMAC-SHA256(fulfillmentKey, data) over its 100 bytes of encrypted data
 * (RFC 0029 §6.3): the JDK's {@code Mac} against BouncyCastle's {@code HMac}, each keyed per call as main does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class FulfillmentBenchmark {
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
