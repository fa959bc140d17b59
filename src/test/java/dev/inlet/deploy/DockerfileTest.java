package dev.inlet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Dockerfile, read as instructions (no Docker engine needed): multi-stage, pinned bases,
 * non-root, a health check that works, no secrets in the image, an exec-form entry point. CI also
 * lints it (.ci/run).
 */
class DockerfileTest {
  private static final Path dockerfile = Path.of("Dockerfile");
  private static List<Instruction> all;
  private static List<Instruction> runtime;

  record Instruction(String keyword, String args) {}

  @BeforeAll
  static void parse() throws IOException {
    all = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String trimmed = line.strip();
      if (logical.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (!logical.isEmpty() && trimmed.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String[] parts = logical.toString().strip().split("\\s+", 2);
      all.add(
          new Instruction(
              parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
      logical.setLength(0);
    }
    int lastFrom = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        lastFrom = i;
      }
    }
    runtime = all.subList(lastFrom, all.size());
  }

  private static List<Instruction> of(List<Instruction> instructions, String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  @Test
  void isMultiStageOnPinnedBaseImages() {
    List<Instruction> froms = of(all, "FROM");
    assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
    for (Instruction from : froms) {
      String image = from.args().split("\\s+")[0];
      assertThat(image).as("FROM %s has a tag or digest", image).containsAnyOf(":", "@sha256:");
      assertThat(image)
          .as("FROM %s is pinned", image)
          .doesNotEndWith(":latest")
          .doesNotContain("$");
      assertThat(image.replaceAll("@.*", ""))
          .as("FROM %s names a patch version", image)
          .matches(".*:.*\\d+\\.\\d+.*");
    }
    assertThat(froms.get(0).args()).containsIgnoringCase(" AS ").contains("maven").contains("17");
    assertThat(runtime.get(0).args()).startsWith("eclipse-temurin:17").contains("jre");
    assertThat(of(runtime, "COPY"))
        .allSatisfy(copy -> assertThat(copy.args()).startsWith("--from="));
  }

  @Test
  void runsAsAFixedNonRootUser() {
    List<Instruction> users = of(runtime, "USER");
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).args().split(":")[0];
    assertThat(user).as("final USER").matches("\\d+").isNotEqualTo("0");
    assertThat(Integer.parseInt(user)).isGreaterThanOrEqualTo(10000);
  }

  @Test
  void declaresPortsDataVolumeAndDataDir() {
    // SPSP and admin on 8080, ILP-over-HTTP and the actuator (the health check's) on their own.
    assertThat(of(runtime, "EXPOSE")).extracting(Instruction::args).contains("8080 8081 9090");
    assertThat(of(runtime, "ENV"))
        .extracting(Instruction::args)
        .anySatisfy(v -> assertThat(v).contains("INLET_ILP_PORT=8081"))
        .anySatisfy(v -> assertThat(v).contains("INLET_MANAGEMENT_PORT=9090"));
    assertThat(of(runtime, "VOLUME"))
        .extracting(Instruction::args)
        .anySatisfy(v -> assertThat(v).contains("/var/lib/inlet"));
    assertThat(of(runtime, "ENV"))
        .extracting(Instruction::args)
        .anySatisfy(v -> assertThat(v).contains("INLET_DATA_DIR=/var/lib/inlet"));
  }

  @Test
  void bakesInNoSecrets() {
    Pattern secretName =
        Pattern.compile("\\b([A-Z0-9_]*(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY)[A-Z0-9_]*)\\b");
    for (Instruction i : all) {
      if (i.keyword().equals("ENV") || i.keyword().equals("ARG")) {
        Matcher m = secretName.matcher(i.args());
        assertThat(m.find()).as("%s %s names a secret", i.keyword(), i.args()).isFalse();
      }
    }
    // Nor is any INLET_*TOKEN/SECRET/PASSWORD given a value anywhere else (a RUN export, a LABEL).
    assertThat(all)
        .noneSatisfy(
            i -> assertThat(i.args()).containsPattern("INLET_[A-Z_]*(TOKEN|SECRET|PASSWORD)\\s*="));
  }

  @Test
  void healthCheckRunsTheCompiledCheckWithJava() {
    List<Instruction> checks = of(runtime, "HEALTHCHECK");
    assertThat(checks).hasSize(1);
    String check = checks.get(0).args();
    assertThat(check).contains("--interval=").contains("--timeout=").contains("--start-period=");
    List<Object> cmd = execForm(check.substring(check.indexOf("CMD") + 3));
    assertThat(cmd).startsWith("java").contains("HealthCheck");
  }

  @Test
  void entryPointIsExecFormWithContainerAwareJvmFlags() {
    List<Instruction> entryPoints = of(runtime, "ENTRYPOINT");
    assertThat(entryPoints).hasSize(1);
    List<Object> entryPoint = execForm(entryPoints.get(0).args());
    assertThat(entryPoint.get(0)).isEqualTo("java");
    assertThat(entryPoint)
        .anySatisfy(a -> assertThat((String) a).startsWith("-XX:MaxRAMPercentage="))
        .contains("-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError")
        .containsSequence("-jar", "/app/inlet.jar");
    assertThat(of(runtime, "CMD")).isEmpty();
  }

  @Test
  void dockerignoreKeepsLocalStateOutOfTheContext() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(".dockerignore"));
    // An allow-list: everything is ignored, then only what the build needs comes back.
    assertThat(lines).contains("*", "!pom.xml", "!db/", "!src/main/", "!docker/HealthCheck.java");
    assertThat(lines)
        .noneMatch(
            l ->
                l.startsWith("!")
                    && (l.contains("inlet-data")
                        || l.contains("target")
                        || l.contains(".git")
                        || l.contains("src/test")));
  }

  /**
   * The health check itself: compiled as the image compiles it, against a server that is up, then
   * down.
   */
  @Test
  void healthCheckExitsZeroOnlyOn200(@TempDir Path classes) throws Exception {
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "--release",
                "17",
                "-d",
                classes.toString(),
                "docker/HealthCheck.java");
    assertThat(compiled).isZero();

    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    int[] status = {200};
    server.createContext(
        "/actuator/health",
        exchange -> {
          exchange.sendResponseHeaders(status[0], -1);
          exchange.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      assertThat(runHealthCheck(classes, port)).isZero();
      status[0] = 503;
      assertThat(runHealthCheck(classes, port)).isEqualTo(1);
    } finally {
      server.stop(0);
    }
  }

  private static int runHealthCheck(Path classes, int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Xmx16m", "-cp", classes.toString(), "HealthCheck")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("INLET_MANAGEMENT_PORT", Integer.toString(port));
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("health check finished").isTrue();
    return process.exitValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> execForm(String args) {
    String json = args.strip();
    assertThat(json).as("exec form (JSON array)").startsWith("[").endsWith("]");
    return (List<Object>) new Yaml().load(json);
  }
}
