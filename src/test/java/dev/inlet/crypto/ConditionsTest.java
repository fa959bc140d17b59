package dev.inlet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inlet.Vectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConditionsTest {

  private final JsonNode prepare = Vectors.file("stream-crypto.json").get("prepare");

  @Test
  void vectorFulfillmentFulfilsItsCondition() {
    assertThat(
            Conditions.fulfills(
                Vectors.hex(prepare.get("fulfillment")), Vectors.hex(prepare.get("condition"))))
        .isTrue();
  }

  @Test
  void otherFulfillmentDoesNotFulfil() {
    assertThat(Conditions.fulfills(new byte[32], Vectors.hex(prepare.get("condition")))).isFalse();
  }

  @Test
  void rejectsWrongLengths() {
    assertThatThrownBy(() -> Conditions.condition(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Conditions.fulfills(new byte[32], new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
