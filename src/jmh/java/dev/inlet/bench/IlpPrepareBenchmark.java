package dev.inlet.bench;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.oer.DecodeException;
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

/** OER codec of a STREAM-carrying ILP Prepare (RFC 0027): 100 bytes of encrypted data, a 40-character destination. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class IlpPrepareBenchmark {
  private IlpPrepare prepare;
  private byte[] encoded;

  @Setup
  public void setUp() throws DecodeException {
    StreamKeys keys = StreamKeys.derive(Fixtures.sharedSecret());
    prepare = Fixtures.ilpPrepare(keys, Fixtures.encryptedPrepare(keys));
    encoded = IlpCodec.encode(prepare);
    Fixtures.check("decoded Prepare", prepare, IlpCodec.decodePrepare(encoded));
  }

  @Benchmark
  public IlpPrepare decode() throws DecodeException {
    return IlpCodec.decodePrepare(encoded);
  }

  @Benchmark
  public byte[] encode() {
    return IlpCodec.encode(prepare);
  }
}
