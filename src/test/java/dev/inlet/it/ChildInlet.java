package dev.inlet.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Inlet started as a separate JVM, for tests that signal the process (SIGTERM, SIGKILL). Its output
 * goes to {@code dataDir/inlet.log}.
 */
final class ChildInlet {
  /** Longest a child Inlet may take to become ready. */
  static final long readyTimeoutSeconds = 90;

  private ChildInlet() {}

  /** Starts Inlet on {@code dataDir} with the test tokens, its ports given. */
  static Process start(Path dataDir, int port, int ilpPort) throws IOException {
    return start(dataDir, port, ilpPort, Map.of());
  }

  /** As {@link #start(Path, int, int)}, with more settings ({@code inlet.uplink.url}, …). */
  static Process start(Path dataDir, int port, int ilpPort, Map<String, String> extra)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.inlet.InletApplication"));
    Map.of(
            "server.port",
            String.valueOf(port),
            "inlet.ilp-port",
            String.valueOf(ilpPort),
            // any free port: the default 9090 may be taken by another run on the machine
            "inlet.management-port",
            "0",
            "inlet.data-dir",
            dataDir.toString(),
            "inlet.admin-token",
            TestInlet.adminToken,
            "inlet.connector-token",
            TestInlet.connectorToken,
            "inlet.ilp-address",
            TestInlet.ilpAddress,
            // as TestInlet: no self-warm-up unless a test asks for it
            "inlet.warmup",
            "0s")
        .forEach((k, v) -> command.add("--" + k + "=" + v));
    extra.forEach((k, v) -> command.add("--" + k + "=" + v));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("inlet.log").toFile())
        .start();
  }

  /** Waits until the readiness probe on {@code port} answers 200. */
  static void awaitReady(int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeoutSeconds);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/readyz"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Inlet did not become ready");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
