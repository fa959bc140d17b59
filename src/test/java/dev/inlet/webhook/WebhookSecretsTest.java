package dev.inlet.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Webhook secrets: their form, sealing under the server secret, and the signature header. */
class WebhookSecretsTest {
  private static final byte[] serverSecret = new byte[32];

  @Test
  void aSecretIs32RandomBytesInBase64Url() {
    String s = WebhookSecrets.generate();
    assertThat(s).startsWith("whsec_");
    assertThat(Base64.getUrlDecoder().decode(s.substring(6))).hasSize(32);
    assertThat(WebhookSecrets.generate()).isNotEqualTo(s);
  }

  @Test
  void sealedSecretsOpenOnlyUnderTheSameServerSecret() {
    WebhookSecrets secrets = new WebhookSecrets(serverSecret);
    String s = WebhookSecrets.generate();
    byte[] sealed = secrets.seal(s);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(s.substring(6));
    assertThat(secrets.open(sealed)).isEqualTo(s);
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new WebhookSecrets(other).open(sealed))
        .isInstanceOf(IllegalStateException.class);
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> secrets.open(sealed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSignatureIsHmacSha256OfTimestampDotBody() {
    // HMAC-SHA256(key "whsec_test", "1700000000.{}"), computed independently (openssl dgst).
    String header =
        WebhookSecrets.signature(
            "whsec_test", 1_700_000_000L, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(header).startsWith("t=1700000000,v1=").hasSize("t=1700000000,v1=".length() + 64);
    assertThat(header.substring(16))
        .isEqualTo("35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91");
  }
}
