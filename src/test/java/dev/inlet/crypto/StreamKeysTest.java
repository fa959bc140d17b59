package dev.inlet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Vectors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class StreamKeysTest {

  private final JsonNode vector = Vectors.file("stream-crypto.json");
  private final JsonNode prepare = vector.get("prepare");
  private final StreamKeys keys = StreamKeys.derive(Vectors.hex(vector.get("sharedSecret")));

  @Test
  void derivesTheVectorKeys() {
    assertThat(keys.encryptionKey()).isEqualTo(Vectors.hex(vector.get("encryptionKey")));
    assertThat(keys.fulfillmentKey()).isEqualTo(Vectors.hex(vector.get("fulfillmentKey")));
  }

  @Test
  void encryptsTheVectorPrepareWithItsIv() {
    byte[] encrypted =
        keys.encrypt(Vectors.hex(prepare.get("plaintext")), Vectors.hex(prepare.get("iv")));
    assertThat(encrypted).isEqualTo(Vectors.hex(prepare.get("encrypted")));
  }

  @Test
  void decryptsTheVectorPrepare() throws DecryptionException {
    assertThat(keys.decrypt(Vectors.hex(prepare.get("encrypted"))))
        .isEqualTo(Vectors.hex(prepare.get("plaintext")));
  }

  @Test
  void derivesTheVectorFulfillmentAndCondition() {
    byte[] fulfillment = keys.fulfillment(Vectors.hex(prepare.get("encrypted")));
    assertThat(fulfillment).isEqualTo(Vectors.hex(prepare.get("fulfillment")));
    assertThat(Conditions.condition(fulfillment)).isEqualTo(Vectors.hex(prepare.get("condition")));
  }

  @Test
  void fulfillReplyRoundTripsWithTheWireLayout() throws DecryptionException {
    byte[] reply = Vectors.hex(vector.get("fulfillResponse").get("plaintext"));
    byte[] encrypted = keys.encrypt(reply);
    assertThat(encrypted).hasSize(reply.length + 28);
    assertThat(keys.decrypt(encrypted)).isEqualTo(reply);
  }

  @Test
  void tagPrecedesCiphertext() throws DecryptionException {
    // Moving the vector's tag behind the ciphertext (the JDK layout) must not decrypt.
    byte[] wire = Vectors.hex(prepare.get("encrypted"));
    byte[] jdkLayout = new byte[wire.length];
    System.arraycopy(wire, 0, jdkLayout, 0, 12);
    System.arraycopy(wire, 28, jdkLayout, 12, wire.length - 28);
    System.arraycopy(wire, 12, jdkLayout, wire.length - 16, 16);
    assertThatThrownBy(() -> keys.decrypt(jdkLayout)).isInstanceOf(DecryptionException.class);
  }

  @Test
  void everyFlippedBitFailsToDecrypt() {
    byte[] encrypted = Vectors.hex(prepare.get("encrypted"));
    for (int bit = 0; bit < encrypted.length * 8; bit++) {
      byte[] tampered = encrypted.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> keys.decrypt(tampered)).isInstanceOf(DecryptionException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 12, 27})
  void shortInputFailsToDecrypt(int length) {
    assertThatThrownBy(() -> keys.decrypt(new byte[length]))
        .isInstanceOf(DecryptionException.class);
  }

  @Test
  void wrongKeyFailsToDecrypt() {
    StreamKeys other = StreamKeys.derive(new byte[32]);
    assertThatThrownBy(() -> other.decrypt(Vectors.hex(prepare.get("encrypted"))))
        .isInstanceOf(DecryptionException.class);
  }

  @Test
  void randomPlaintextsRoundTrip() throws DecryptionException {
    Random random = new Random(29);
    for (int length : new int[] {0, 1, 15, 16, 17, 100, 1000, 32767}) {
      byte[] plaintext = new byte[length];
      random.nextBytes(plaintext);
      byte[] encrypted = keys.encrypt(plaintext);
      assertThat(encrypted).hasSize(length + 28);
      assertThat(keys.decrypt(encrypted)).isEqualTo(plaintext);
    }
  }

  @Test
  void eachEncryptionUsesAFreshIv() {
    byte[] plaintext = Vectors.hex(prepare.get("plaintext"));
    assertThat(keys.encrypt(plaintext)).isNotEqualTo(keys.encrypt(plaintext));
  }

  @Test
  void roundTripsConcurrently() throws Exception {
    byte[] plaintext = Vectors.hex(prepare.get("plaintext"));
    Runnable work =
        () -> {
          for (int i = 0; i < 2000; i++) {
            StreamKeys keys =
                StreamKeys.derive(
                    new byte[] {
                      (byte) i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                      20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
                    });
            try {
              assertThat(keys.decrypt(keys.encrypt(plaintext))).isEqualTo(plaintext);
            } catch (DecryptionException e) {
              throw new AssertionError(e);
            }
          }
        };
    Thread[] threads = new Thread[4];
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(work);
      threads[t].setUncaughtExceptionHandler((thread, e) -> failure[0] = e);
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failure[0]).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16, 31, 33, 64})
  void rejectsSharedSecretsOtherThan32Bytes(int length) {
    assertThatThrownBy(() -> StreamKeys.derive(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsIvsOtherThan12Bytes() {
    assertThatThrownBy(() -> keys.encrypt(new byte[1], new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
