package dev.inlet.bench;

import dev.inlet.crypto.Conditions;
import dev.inlet.crypto.StreamKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The condition of a fulfillment, SHA-256 of its 32 bytes (RFC 0027): the JDK's digest against
 * BouncyCastle's.
 */
public class ConditionBenchmark extends BenchmarkSettings {
  private byte[] fulfillment;

  @Setup
  public void setUp() {
    StreamKeys keys = StreamKeys.derive(Fixtures.sharedSecret());
    fulfillment = keys.fulfillment(Fixtures.encryptedPrepare(keys));
    Fixtures.check("condition", jdk(), bouncyCastle());
  }

  @Benchmark
  public byte[] jdk() {
    return Conditions.condition(fulfillment);
  }

  @Benchmark
  public byte[] bouncyCastle() {
    return BcPrimitives.sha256(fulfillment);
  }
}
