package dev.inlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublicIdsTest {

  @Test
  void base32IsRfc4648LowercaseWithoutPadding() {
    // RFC 4648 §10 vectors, lower case, padding dropped.
    String[][] vectors = {
      {"", ""},
      {"f", "my"},
      {"fo", "mzxq"},
      {"foo", "mzxw6"},
      {"foob", "mzxw6yq"},
      {"fooba", "mzxw6ytb"},
      {"foobar", "mzxw6ytboi"}
    };
    for (String[] v : vectors) {
      assertThat(PublicIds.base32(v[0].getBytes(StandardCharsets.US_ASCII))).isEqualTo(v[1]);
    }
  }

  @Test
  void idsAreInvPlus26RandomCharacters() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = PublicIds.invoices.generate();
      assertThat(id).matches("inv_[a-z2-7]{26}");
      assertThat(PublicIds.invoices.isValid(id)).isTrue();
      seen.add(id);
    }
    assertThat(seen).hasSize(1_000);
    assertThat(PublicIds.invoices.isValid("inv_" + "A".repeat(26))).isFalse();
    assertThat(PublicIds.invoices.isValid("inv_" + "a".repeat(25))).isFalse();
    assertThat(PublicIds.invoices.isValid(null)).isFalse();
    assertThat(PublicIds.webhooks.isValid(PublicIds.deliveries.generate())).isFalse();
    assertThat(PublicIds.deliveries.generate()).matches("whd_[a-z2-7]{26}");
  }
}
