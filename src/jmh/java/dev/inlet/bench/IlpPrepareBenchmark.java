package dev.inlet.bench;

import dev.inlet.codec.ilp.IlpCodec;
import dev.inlet.codec.ilp.IlpPrepare;
import dev.inlet.codec.oer.DecodeException;
import dev.inlet.crypto.StreamKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * OER codec of a STREAM-carrying ILP Prepare (RFC 0027): 100 bytes of encrypted data, a
 * 40-character destination.
 */
public class IlpPrepareBenchmark extends BenchmarkSettings {
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
