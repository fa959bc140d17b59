package dev.inlet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Vectors;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionTokenTest {

  private static final byte[] connectionId = Vectors.hex("000102030405060708090a0b");
  private static final ReceiptCredentials receipts =
      new ReceiptCredentials(new byte[16], Vectors.hex("ff".repeat(32)));

  @Test
  void equalityIsByContent() {
    ConnectionToken a =
        new ConnectionToken(connectionId.clone(), TargetKind.ACCOUNT, 1, Optional.of(receipts));
    ConnectionToken b =
        new ConnectionToken(
            connectionId.clone(),
            TargetKind.ACCOUNT,
            1,
            Optional.of(new ReceiptCredentials(new byte[16], Vectors.hex("ff".repeat(32)))));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a)
        .isNotEqualTo(
            new ConnectionToken(connectionId, TargetKind.INVOICE, 1, Optional.of(receipts)));
    assertThat(a)
        .isNotEqualTo(new ConnectionToken(connectionId, TargetKind.ACCOUNT, 1, Optional.empty()));
  }

  @Test
  void arraysAreCopiedInAndOut() {
    byte[] id = connectionId.clone();
    ConnectionToken token = new ConnectionToken(id, TargetKind.ACCOUNT, 1, Optional.empty());
    id[0] = 9;
    token.connectionId()[1] = 9;
    assertThat(token.connectionId()).isEqualTo(connectionId);
  }

  @Test
  void toStringHidesTheReceiptSecret() {
    String text =
        new ConnectionToken(connectionId, TargetKind.ACCOUNT, 1, Optional.of(receipts)).toString();
    assertThat(text).contains("000102030405060708090a0b").doesNotContain("ffff");
  }

  @Test
  void rejectsWrongLengths() {
    assertThatThrownBy(
            () -> new ConnectionToken(new byte[16], TargetKind.ACCOUNT, 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReceiptCredentials(new byte[15], new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReceiptCredentials(new byte[16], new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
