package dev.inlet.bench;

import dev.inlet.codec.oer.DecodeException;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * A receiver opening a Prepare's data: AES-256-GCM decrypt (RFC 0029 §5.1.2) of 100 bytes, then the
 * STREAM packet and its frames decoded, as {@code StreamReceiver} does; the JDK provider against
 * BouncyCastle.
 */
public class StreamDecryptBenchmark extends BenchmarkSettings {
  private StreamKeys jdkKeys;
  private BcStreamKeys bcKeys;
  private byte[] data;
  private byte[] plaintext;

  @Setup
  public void setUp() throws DecryptionException, DecodeException {
    jdkKeys = StreamKeys.derive(Fixtures.sharedSecret());
    bcKeys = new BcStreamKeys(jdkKeys);
    data = Fixtures.encryptedPrepare(jdkKeys);
    plaintext = jdkKeys.decrypt(data);
    Fixtures.check("decrypted STREAM Prepare", plaintext, bcKeys.decrypt(data));
    Fixtures.check("decoded STREAM Prepare", Fixtures.streamPrepare(), bouncyCastle());
    Fixtures.check("decoded STREAM Prepare", Fixtures.streamPrepare(), jdk());
    byte[] tampered = data.clone();
    tampered[tampered.length - 1] ^= 1;
    try {
      bcKeys.decrypt(tampered);
      throw new IllegalStateException("BouncyCastle accepted altered data");
    } catch (DecryptionException expected) {
      // as main: altered data does not decrypt
    }
  }

  @Benchmark
  public StreamPacket jdk() throws DecryptionException, DecodeException {
    return StreamCodec.decode(jdkKeys.decrypt(data));
  }

  @Benchmark
  public StreamPacket bouncyCastle() throws DecryptionException, DecodeException {
    return StreamCodec.decode(bcKeys.decrypt(data));
  }

  /** Baseline, no decryption: the decode alone, the part both providers share. */
  @Benchmark
  public StreamPacket decodeOnly() throws DecodeException {
    return StreamCodec.decode(plaintext);
  }
}
