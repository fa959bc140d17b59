package dev.inlet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Vectors;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ReceiptsTest {

  private final JsonNode vector = Vectors.file("stream-receipt.json");
  private final byte[] nonce = Vectors.hex(vector.get("nonce"));
  private final byte[] secret = Vectors.hex(vector.get("secret"));

  @Test
  void matchesTheVectorByteForByte() {
    long streamId = vector.get("streamId").asLong();
    long totalReceived = Long.parseUnsignedLong(vector.get("totalReceived").asString());
    byte[] receipt = Receipts.receipt(nonce, secret, streamId, totalReceived);
    assertThat(receipt).hasSize(Receipts.lengthBytes).isEqualTo(Vectors.hex(vector.get("receipt")));
    assertThat(receipt)
        .isEqualTo(Base64.getDecoder().decode(vector.get("receiptBase64").asString()));
  }

  @Test
  void credentialsProduceTheSameReceipt() {
    assertThat(new ReceiptCredentials(nonce, secret).receipt(1, 1000))
        .isEqualTo(Vectors.hex(vector.get("receipt")));
  }

  @Test
  void encodesStreamIdAsOneByteAndTotalAsUnsigned64Bits() {
    byte[] receipt = Receipts.receipt(nonce, secret, 255, -1L);
    assertThat(receipt[17]).isEqualTo((byte) 0xFF);
    for (int i = 18; i < 26; i++) {
      assertThat(receipt[i]).isEqualTo((byte) 0xFF);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 256, Long.MAX_VALUE})
  void rejectsStreamIdsOutsideUInt8(long streamId) {
    assertThatThrownBy(() -> Receipts.receipt(nonce, secret, streamId, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWrongNonceOrSecretLengths() {
    assertThatThrownBy(() -> Receipts.receipt(new byte[15], secret, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Receipts.receipt(nonce, new byte[31], 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
