package dev.inlet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Vectors;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionTokensTest {

  private static final String alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final byte[] serverSecret =
      Vectors.hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] nonce = filled(16, 0x11);
  private static final byte[] receiptSecret = filled(32, 0x22);

  private final ConnectionTokens tokens = new ConnectionTokens(serverSecret);

  @Test
  void roundTripsWithoutReceipts() throws InvalidTokenException {
    String token = tokens.issue(TargetKind.ACCOUNT, 42, null, null);
    ConnectionToken opened = tokens.open(token);
    assertThat(opened.kind()).isEqualTo(TargetKind.ACCOUNT);
    assertThat(opened.targetId()).isEqualTo(42);
    assertThat(opened.receipts()).isEmpty();
    assertThat(opened.connectionId()).hasSize(ConnectionToken.connectionIdBytes);
    assertThat(token).hasSize(51).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void roundTripsWithReceipts() throws InvalidTokenException {
    String token = tokens.issue(TargetKind.INVOICE, Long.MAX_VALUE, nonce, receiptSecret);
    ConnectionToken opened = tokens.open(token);
    assertThat(opened.kind()).isEqualTo(TargetKind.INVOICE);
    assertThat(opened.targetId()).isEqualTo(Long.MAX_VALUE);
    assertThat(opened.receipts()).contains(new ReceiptCredentials(nonce, receiptSecret));
    assertThat(token).hasSize(115).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void roundTripsEveryKind() throws InvalidTokenException {
    for (TargetKind kind : TargetKind.values()) {
      assertThat(tokens.open(tokens.issue(kind, 7, null, null)).kind()).isEqualTo(kind);
    }
  }

  @Test
  void opensTheSameContentsTwice() throws InvalidTokenException {
    String token = tokens.issue(TargetKind.VOUCHER, 9, nonce, receiptSecret);
    assertThat(tokens.open(token)).isEqualTo(tokens.open(token));
    assertThat(new ConnectionTokens(serverSecret).open(token)).isEqualTo(tokens.open(token));
  }

  @Test
  void issuesADifferentTokenAndConnectionIdEachTime() throws InvalidTokenException {
    Set<String> seen = new HashSet<>();
    Set<String> connectionIds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = tokens.issue(TargetKind.ACCOUNT, 1, nonce, receiptSecret);
      seen.add(token);
      connectionIds.add(tokens.open(token).connectionIdHex());
    }
    assertThat(seen).hasSize(1000);
    assertThat(connectionIds).hasSize(1000);
  }

  @Test
  void opensATokenBuiltIndependently() throws InvalidTokenException {
    // Built outside Java (Python `cryptography` AESGCM) from the documented layout, key labels and
    // serverSecret, with IV a0..ab: pins the token format against silent change.
    String token =
        "AaChoqOkpaanqKmqq2hiq0rJrc3Wlxddj_r7W-Y15HF7mYKnFm973_EvmO_8qUR8o3yh4VPOU3he3-3lIR-jO93bG8BLmmciPgJ1Cb8kg0qcyaDRE68";
    ConnectionToken opened = tokens.open(token);
    assertThat(opened)
        .isEqualTo(
            new ConnectionToken(
                Vectors.hex("a0a1a2a3a4a5a6a7a8a9aaab"),
                TargetKind.INVOICE,
                123456789,
                Optional.of(new ReceiptCredentials(nonce, receiptSecret))));
    assertThat(ConnectionTokens.connectionIdOf(token)).isEqualTo(opened.connectionId());
    assertThat(tokens.sharedSecret(opened.connectionId()))
        .isEqualTo(Vectors.hex("7fcbc1626bf45b29a8cb5ca0cbb96d2742417d0b5b94969a25ae180aa5ed1439"));
  }

  @Test
  void tokenFromAnotherServerSecretFails() {
    String foreign =
        new ConnectionTokens(filled(32, 0x01)).issue(TargetKind.ACCOUNT, 42, null, null);
    assertThatThrownBy(() -> tokens.open(foreign)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void everySingleCharacterMutationFails() {
    for (String token :
        new String[] {
          tokens.issue(TargetKind.ACCOUNT, 42, null, null),
          tokens.issue(TargetKind.VOUCHER, 42, nonce, receiptSecret)
        }) {
      for (int i = 0; i < token.length(); i++) {
        for (char c : (alphabet + "=+/.~ é").toCharArray()) {
          if (c == token.charAt(i)) {
            continue;
          }
          String mutated = token.substring(0, i) + c + token.substring(i + 1);
          assertThatThrownBy(() -> tokens.open(mutated))
              .as("mutation at %d to %s", i, c)
              .isInstanceOf(InvalidTokenException.class);
        }
      }
    }
  }

  @Test
  void truncatedExtendedOrPaddedTokensFail() {
    String token = tokens.issue(TargetKind.ACCOUNT, 42, null, null);
    for (String bad :
        new String[] {
          "",
          token.substring(1),
          token.substring(0, token.length() - 1),
          token + "A",
          token + "=",
          token.substring(0, token.length() - 1) + "=",
          "A".repeat(51),
          "A".repeat(115)
        }) {
      assertThatThrownBy(() -> tokens.open(bad)).isInstanceOf(InvalidTokenException.class);
    }
  }

  @Test
  void everyFlippedBitOfTheDecodedTokenFails() {
    byte[] raw =
        Base64.getUrlDecoder().decode(tokens.issue(TargetKind.INVOICE, 5, nonce, receiptSecret));
    for (int bit = 0; bit < raw.length * 8; bit++) {
      byte[] tampered = raw.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      String mutated = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
      assertThatThrownBy(() -> tokens.open(mutated)).isInstanceOf(InvalidTokenException.class);
    }
  }

  @Test
  void sharedSecretIsDeterministicAndPerConnectionAndServer() {
    byte[] a = ConnectionTokens.connectionIdOf(tokens.issue(TargetKind.ACCOUNT, 1, null, null));
    byte[] b = ConnectionTokens.connectionIdOf(tokens.issue(TargetKind.ACCOUNT, 1, null, null));
    assertThat(tokens.sharedSecret(a)).hasSize(32).isEqualTo(tokens.sharedSecret(a));
    assertThat(new ConnectionTokens(serverSecret).sharedSecret(a))
        .isEqualTo(tokens.sharedSecret(a));
    assertThat(tokens.sharedSecret(a)).isNotEqualTo(tokens.sharedSecret(b));
    assertThat(new ConnectionTokens(filled(32, 0x01)).sharedSecret(a))
        .isNotEqualTo(tokens.sharedSecret(a));
  }

  @Test
  void sharedSecretIsPinned() {
    // Python: hmac(hmac(serverSecret, b"inlet shared secret"), bytes.fromhex("000102…0b"))
    assertThat(tokens.sharedSecret(Vectors.hex("000102030405060708090a0b")))
        .isEqualTo(Vectors.hex("a9bfa67e318425fd2f3e5488cd9e0172bd17c5976f8173a83b826424ef5f4ef6"));
  }

  @Test
  void sharedSecretNeedsATwelveByteConnectionId() {
    assertThatThrownBy(() -> tokens.sharedSecret(new byte[11]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16, 31})
  void rejectsShortServerSecrets(int length) {
    assertThatThrownBy(() -> new ConnectionTokens(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsLongServerSecrets() throws InvalidTokenException {
    ConnectionTokens longer = new ConnectionTokens(filled(64, 0x33));
    assertThat(longer.open(longer.issue(TargetKind.ACCOUNT, 3, null, null)).targetId())
        .isEqualTo(3);
  }

  @Test
  void rejectsHalfOrMalformedReceiptCredentials() {
    assertThatThrownBy(() -> tokens.issue(TargetKind.ACCOUNT, 1, nonce, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.issue(TargetKind.ACCOUNT, 1, null, receiptSecret))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.issue(TargetKind.ACCOUNT, 1, new byte[15], receiptSecret))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.issue(TargetKind.ACCOUNT, 1, nonce, new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
