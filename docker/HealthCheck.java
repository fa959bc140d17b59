import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The container image's HEALTHCHECK: exits 0 when {@code GET
 * http://127.0.0.1:$INLET_MANAGEMENT_PORT/actuator/health} (the management port, 9090 unless set;
 * or the path given as the first argument) answers 200 within a few seconds, 1 otherwise. The JRE
 * image has no compiler and need not have curl or wget, but it always has {@code java}, so the
 * Dockerfile compiles this one class in the build stage and copies it in. It uses java.base only.
 * Not part of the application.
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    String port = System.getenv().getOrDefault("INLET_MANAGEMENT_PORT", "9090");
    String path = args.length > 0 ? args[0] : "/actuator/health";
    try {
      HttpURLConnection connection =
          (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
      connection.setConnectTimeout(2000);
      connection.setReadTimeout(3000);
      int status = connection.getResponseCode();
      connection.disconnect();
      if (status == 200) {
        System.exit(0);
      }
      System.err.println("health: HTTP " + status + " from " + path);
    } catch (Exception e) {
      System.err.println("health: " + e);
    }
    System.exit(1);
  }
}
