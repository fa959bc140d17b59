package dev.inlet.bench;

import dev.inlet.crypto.Conditions;
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

/** The condition of a fulfillment, SHA-256 of its 32 bytes (RFC 0027): the JDK's digest against BouncyCastle's. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ConditionBenchmark {
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
