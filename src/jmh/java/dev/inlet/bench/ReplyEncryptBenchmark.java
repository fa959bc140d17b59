package dev.inlet.bench;

import dev.inlet.codec.ilp.IlpPacketType;
import dev.inlet.codec.stream.StreamCodec;
import dev.inlet.codec.stream.StreamFrame;
import dev.inlet.codec.stream.StreamPacket;
import dev.inlet.crypto.DecryptionException;
import dev.inlet.crypto.StreamKeys;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A receiver's STREAM reply for a Fulfill (asset details, limits, stream 1's totals): the packet
 * built and encoded as {@code Replies.Reply.stream} does, then encrypted with a fresh random IV
 * (RFC 0029 §5.1.2); the JDK provider against BouncyCastle. The random IV, drawn from a per-thread
 * {@code SecureRandom} in both, is part of the step.
 */
public class ReplyEncryptBenchmark extends BenchmarkSettings {
  private StreamKeys jdkKeys;
  private BcStreamKeys bcKeys;
  private List<StreamFrame> frames;

  @Setup
  public void setUp() throws DecryptionException {
    jdkKeys = StreamKeys.derive(Fixtures.sharedSecret());
    bcKeys = new BcStreamKeys(jdkKeys);
    frames = Fixtures.replyFrames();
    byte[] plaintext = encodeReply();
    // Same key, IV and plaintext must give the same bytes: BouncyCastle re-encrypts under the IV
    // main drew.
    byte[] fromJdk = jdkKeys.encrypt(plaintext);
    byte[] fromBc = bcKeys.encrypt(plaintext, Arrays.copyOf(fromJdk, BcPrimitives.ivLength));
    Fixtures.check("encrypted STREAM reply", fromJdk, fromBc);
    Fixtures.check("decrypted STREAM reply", plaintext, jdkKeys.decrypt(bouncyCastle()));
    Fixtures.check("decrypted STREAM reply", plaintext, bcKeys.decrypt(jdk()));
  }

  private byte[] encodeReply() {
    return StreamCodec.encode(
        new StreamPacket(
            StreamPacket.supportedVersion,
            IlpPacketType.FULFILL,
            Fixtures.sequence,
            Fixtures.amount,
            frames));
  }

  @Benchmark
  public byte[] jdk() {
    return jdkKeys.encrypt(encodeReply());
  }

  @Benchmark
  public byte[] bouncyCastle() {
    return bcKeys.encrypt(encodeReply());
  }

  /**
   * Baseline, no encryption: the reply encoded and a 12-byte IV drawn, the part both providers
   * share.
   */
  @Benchmark
  public void encodeAndIvOnly(Blackhole bh) {
    bh.consume(encodeReply());
    bh.consume(BcStreamKeys.randomIv());
  }
}
