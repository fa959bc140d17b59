package dev.inlet.bench;

import dev.inlet.crypto.ConnectionToken;
import dev.inlet.crypto.ConnectionTokens;
import dev.inlet.crypto.InvalidTokenException;
import dev.inlet.crypto.TargetKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a receiver does for a connection it has not cached: open the 51-character token from the
 * destination address (AES-256-GCM under the token key, with its base64url and version checks) and
 * derive the shared secret from it (HMAC-SHA256 under the secret key). Main's {@link
 * ConnectionTokens} against {@link BcConnectionTokens}.
 */
public class SharedSecretBenchmark extends BenchmarkSettings {
  private ConnectionTokens jdkTokens;
  private BcConnectionTokens bcTokens;
  private String token;

  @Setup
  public void setUp() throws InvalidTokenException {
    byte[] serverSecret = Fixtures.serverSecret();
    jdkTokens = new ConnectionTokens(serverSecret);
    bcTokens = new BcConnectionTokens(serverSecret);
    token = jdkTokens.issue(TargetKind.ACCOUNT, 42, null, null);
    String withReceipts =
        jdkTokens.issue(TargetKind.INVOICE, 7, Fixtures.bytes(16, 3), Fixtures.bytes(32, 4));
    for (String t : new String[] {token, withReceipts}) {
      Fixtures.check("opened token", jdkTokens.open(t), bcTokens.open(t));
      Fixtures.check("shared secret", jdkTokens.sharedSecret(t), bcTokens.sharedSecret(t));
    }
    char last = token.charAt(token.length() - 2);
    String altered =
        token.substring(0, token.length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + token.charAt(token.length() - 1);
    try {
      bcTokens.open(altered);
      throw new IllegalStateException("BouncyCastle opened an altered token");
    } catch (InvalidTokenException expected) {
      // as main: an altered token does not open
    }
  }

  @Benchmark
  public void jdk(Blackhole bh) throws InvalidTokenException {
    ConnectionToken opened = jdkTokens.open(token);
    bh.consume(opened);
    bh.consume(jdkTokens.sharedSecret(token));
  }

  @Benchmark
  public void bouncyCastle(Blackhole bh) throws InvalidTokenException {
    ConnectionToken opened = bcTokens.open(token);
    bh.consume(opened);
    bh.consume(bcTokens.sharedSecret(token));
  }
}
