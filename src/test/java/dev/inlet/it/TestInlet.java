package dev.inlet.it;

import dev.inlet.InletApplication;
import dev.inlet.transport.IlpHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Inlet started for real (embedded PostgreSQL in {@code dataDir}, random ports: the web server's,
 * the ILP-over-HTTP listener's and the management port), with an HTTP client for it.
 */
final class TestInlet implements AutoCloseable {
  /** As long as Inlet asks of a token an operator sets (32 characters). */
  static final String adminToken = "test-admin-token-at-least-32-characters";

  static final String connectorToken = "test-connector-token-at-least-32-characters";
  static final String ilpAddress = "test.inlet";
  static final JsonMapper json = JsonMapper.builder().build();

  private final ConfigurableApplicationContext context;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The web server's port: SPSP, admin API, {@code /livez} and {@code /readyz}. */
  final int port;

  /** The management port: {@code /actuator/**}. */
  final int managementPort;

  /** The ILP-over-HTTP listener's port: {@code POST /ilp}. */
  final int ilpPort;

  /**
   * The admin token in force: the configured one, or the one Inlet generated into its data
   * directory.
   */
  final String admin;

  private TestInlet(ConfigurableApplicationContext context, String admin) {
    this.context = context;
    this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    this.ilpPort = context.getBean(IlpHttpServer.class).port();
    this.managementPort =
        context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
    this.admin = admin;
  }

  /** Starts Inlet on the embedded database in {@code dataDir}. */
  static TestInlet start(Path dataDir, Map<String, String> extra) {
    return start(dataDir, extra, new ApplicationListener<?>[0]);
  }

  /** As above, with {@code listeners} registered before the application starts. */
  static TestInlet start(
      Path dataDir, Map<String, String> extra, ApplicationListener<?>... listeners) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("server.port", "0");
    props.put("inlet.ilp-port", "0");
    props.put("inlet.management-port", "0");
    props.put("inlet.data-dir", dataDir.toString());
    props.put("inlet.admin-token", adminToken);
    props.put("inlet.connector-token", connectorToken);
    props.put("inlet.ilp-address", ilpAddress);
    props.put("inlet.asset-code", "USD");
    props.put("inlet.asset-scale", "9");
    // Tests open connections and call the API from one address faster than a client may by
    // default; AdmissionTest sets its own limits.
    props.put("inlet.spsp-rate-per-client", "100000");
    props.put("inlet.spsp-burst-per-client", "100000");
    props.put("inlet.api-rate-per-key", "100000");
    props.put("inlet.api-burst-per-key", "100000");
    // The self-warm-up would add its seconds to every start; WarmupTest turns it on.
    props.put("inlet.warmup", "0s");
    props.putAll(extra);
    // As arguments: they outrank application.yaml, which builder properties do not.
    String[] args =
        props.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(InletApplication.class).listeners(listeners).run(args);
    String admin = props.get("inlet.admin-token");
    if (admin.isBlank()) {
      try {
        admin = Files.readString(dataDir.resolve("admin-token")).trim();
      } catch (IOException e) {
        context.close();
        throw new UncheckedIOException(e);
      }
    }
    return new TestInlet(context, admin);
  }

  static TestInlet start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /** A bean of the running application (for checks that look below the HTTP interface). */
  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** Every bean of that type, by name. */
  <T> Map<String, T> beans(Class<T> type) {
    return context.getBeansOfType(type);
  }

  String url(String path) {
    return "http://localhost:" + port + path;
  }

  /** A path on the management port, such as {@code /actuator/prometheus}. */
  String managementUrl(String path) {
    return "http://localhost:" + managementPort + path;
  }

  /** The ILP-over-HTTP endpoint, {@code http://localhost:<ilpPort>/ilp}. */
  String ilpUrl() {
    return ilpUrl("/ilp");
  }

  /** A path on the ILP-over-HTTP listener. */
  String ilpUrl(String path) {
    return "http://localhost:" + ilpPort + path;
  }

  /** An admin GET: status and body. */
  HttpResponse<String> adminGet(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Authorization", "Bearer " + admin)
            .GET());
  }

  /** An admin POST of a JSON body. */
  HttpResponse<String> adminPost(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Creates account {@code name} (with an optional receive limit) and returns its JSON. */
  JsonNode createAccount(String name, String receiveLimit) {
    String body =
        receiveLimit == null
            ? "{\"name\":\"" + name + "\"}"
            : "{\"name\":\"" + name + "\",\"receive_limit\":\"" + receiveLimit + "\"}";
    HttpResponse<String> r = adminPost("/admin/accounts", body);
    if (r.statusCode() != 201) {
      throw new AssertionError("account creation: " + r.statusCode() + " " + r.body());
    }
    return json.readTree(r.body());
  }

  /** The account's balance as the admin API reports it. */
  long balance(String name) {
    HttpResponse<String> r = adminGet("/admin/accounts/" + name);
    if (r.statusCode() != 200) {
      throw new AssertionError("account read: " + r.statusCode() + " " + r.body());
    }
    return Long.parseUnsignedLong(json.readTree(r.body()).get("balance").asString());
  }

  /** POSTs raw bytes to {@code /ilp} as the connector. */
  HttpResponse<byte[]> postIlp(byte[] body) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(ilpUrl()))
              .header("Authorization", "Bearer " + connectorToken)
              .header("Content-Type", "application/octet-stream")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
