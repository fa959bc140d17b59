package dev.inlet.crypto;

import dev.inlet.Vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ReceiptsTest {

  private static final JsonNode VECTOR = Vectors.file("stream-receipt.json");
  private static final byte[] NONCE = Vectors.hex(VECTOR.get("nonce"));
  private static final byte[] SECRET = Vectors.hex(VECTOR.get("secret"));

  @Test
  void matchesTheVectorByteForByte() {
    long streamId = VECTOR.get("streamId").asLong();
    long totalReceived = Long.parseUnsignedLong(VECTOR.get("totalReceived").asString());
    byte[] receipt = Receipts.receipt(NONCE, SECRET, streamId, totalReceived);
    assertThat(receipt).hasSize(Receipts.LENGTH).isEqualTo(Vectors.hex(VECTOR.get("receipt")));
    assertThat(receipt).isEqualTo(Base64.getDecoder().decode(VECTOR.get("receiptBase64").asString()));
  }

  @Test
  void credentialsProduceTheSameReceipt() {
    assertThat(new ReceiptCredentials(NONCE, SECRET).receipt(1, 1000))
        .isEqualTo(Vectors.hex(VECTOR.get("receipt")));
  }

  @Test
  void encodesStreamIdAsOneByteAndTotalAsUnsigned64Bits() {
    byte[] receipt = Receipts.receipt(NONCE, SECRET, 255, -1L);
    assertThat(receipt[17]).isEqualTo((byte) 0xFF);
    for (int i = 18; i < 26; i++) {
      assertThat(receipt[i]).isEqualTo((byte) 0xFF);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 256, Long.MAX_VALUE})
  void rejectsStreamIdsOutsideUInt8(long streamId) {
    assertThatThrownBy(() -> Receipts.receipt(NONCE, SECRET, streamId, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWrongNonceOrSecretLengths() {
    assertThatThrownBy(() -> Receipts.receipt(new byte[15], SECRET, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Receipts.receipt(NONCE, new byte[31], 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
