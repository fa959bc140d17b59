package dev.inlet.it;

import static dev.inlet.it.MerchantClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Merchants on the admin API and their API keys: shown once, kept only as a hash, rotated (old and
 * new both work) and revoked (401 from then on); bad names refused with nothing written.
 */
class MerchantKeysTest extends InletPerClass {

  @Test
  void aKeyIsShownOnceStoredAsItsHashRotatedAndRevoked() throws Exception {
    HttpResponse<String> created = inlet.adminPost("/admin/merchants", "{\"name\":\"keyed\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/admin/merchants/keyed");
    JsonNode body = TestInlet.json.readTree(created.body());
    String first = body.get("api_key").asString();
    assertThat(first).matches("inlet_[A-Za-z0-9_-]{43}");

    JdbcClient jdbc = JdbcClient.create(inlet.bean(DataSource.class));
    List<byte[]> stored =
        jdbc.sql(
                "SELECT k.key_hash FROM api_keys k JOIN merchants m ON m.id = k.merchant_id"
                    + " WHERE m.name = 'keyed'")
            .query(byte[].class)
            .list();
    assertThat(stored)
        .singleElement()
        .isEqualTo(
            MessageDigest.getInstance("SHA-256").digest(first.getBytes(StandardCharsets.UTF_8)));
    JsonNode shown = TestInlet.json.readTree(inlet.adminGet("/admin/merchants/keyed").body());
    assertThat(shown.toString()).doesNotContain(first);
    assertThat(shown.get("api_keys")).hasSize(1);

    HttpResponse<String> rotated = inlet.adminPost("/admin/merchants/keyed/api-keys", "");
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
    String second = TestInlet.json.readTree(rotated.body()).get("api_key").asString();
    assertThat(second).isNotEqualTo(first);
    assertThat(status(first)).isEqualTo(200);
    assertThat(status(second)).isEqualTo(200);

    String firstId = body.get("api_key_id").asString();
    HttpResponse<String> revoked =
        inlet.send(
            HttpRequest.newBuilder(
                    URI.create(inlet.url("/admin/merchants/keyed/api-keys/" + firstId)))
                .header("Authorization", "Bearer " + inlet.admin)
                .DELETE());
    assertThat(revoked.statusCode()).isEqualTo(204);
    assertThat(status(first)).isEqualTo(401);
    assertThat(status(second)).isEqualTo(200);
    JsonNode keys =
        TestInlet.json.readTree(inlet.adminGet("/admin/merchants/keyed").body()).get("api_keys");
    assertThat(keys.get(0).get("revoked_at").isNull()).isFalse();
    assertThat(keys.get(1).get("revoked_at").isNull()).isTrue();

    HttpResponse<String> again =
        inlet.send(
            HttpRequest.newBuilder(
                    URI.create(inlet.url("/admin/merchants/keyed/api-keys/" + firstId)))
                .header("Authorization", "Bearer " + inlet.admin)
                .DELETE());
    assertProblem(again, 404, "unknown-api-key");
  }

  @Test
  void badOrTakenNamesAreRefusedAndWriteNothing() {
    assertThat(inlet.adminPost("/admin/merchants", "{\"name\":\"twice\"}").statusCode())
        .isEqualTo(201);
    assertProblem(
        inlet.adminPost("/admin/merchants", "{\"name\":\"twice\"}"), 409, "merchant-exists");
    for (String bad : List.of("{}", "{\"name\":\"\"}", "{\"name\":\"a b\"}", "{\"name\":5}")) {
      assertProblem(inlet.adminPost("/admin/merchants", bad), 400, "invalid-merchant-name");
    }
    assertProblem(inlet.adminPost("/admin/merchants", "[1]"), 400, "invalid-request-body");
    assertProblem(inlet.adminGet("/admin/merchants/nobody"), 404, "unknown-merchant");
    assertProblem(
        inlet.adminPost("/admin/accounts", "{\"name\":\"orphan\",\"merchant\":\"nobody\"}"),
        400,
        "unknown-merchant");
    assertProblem(inlet.adminGet("/admin/accounts/orphan"), 404, "unknown-account");
    assertThat(inlet.adminPost("/admin/merchants/keyed2/api-keys", "").statusCode()).isEqualTo(404);
  }

  @Test
  void merchantRoutesAreAdminOnly() {
    HttpResponse<String> anonymous =
        inlet.send(
            HttpRequest.newBuilder(URI.create(inlet.url("/admin/merchants")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sneaky\"}")));
    assertProblem(anonymous, 401, "unauthorized");
    assertProblem(inlet.adminGet("/admin/merchants/sneaky"), 404, "unknown-merchant");
  }

  /** The status of {@code GET /v1/invoices} with {@code key}. */
  private static int status(String key) {
    return inlet
        .send(
            HttpRequest.newBuilder(URI.create(inlet.url("/v1/invoices")))
                .header("Authorization", "Bearer " + key))
        .statusCode();
  }
}
