package dev.inlet.admin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseCookie;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;

class DashboardAuthTest {
  @Test
  void theSessionCookieIsSecureWhenTheRequestCameOverHttps() {
    ResponseCookie https =
        DashboardAuth.cookie(
            MockServerRequest.builder().uri(URI.create("https://pay.example/admin")).build(),
            "v",
            Duration.ofHours(8));
    assertThat(https.isSecure()).isTrue();
    assertThat(https.isHttpOnly()).isTrue();
    assertThat(https.getSameSite()).isEqualTo("Strict");
    assertThat(https.getPath()).isEqualTo("/admin");
    ResponseCookie http =
        DashboardAuth.cookie(
            MockServerRequest.builder().uri(URI.create("http://localhost:8080/admin")).build(),
            "v",
            Duration.ofHours(8));
    assertThat(http.isSecure()).isFalse();
  }
}
