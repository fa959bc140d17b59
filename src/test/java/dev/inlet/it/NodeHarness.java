package dev.inlet.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The repository's Node harness ({@code src/test/node}: package.json, its lock file with
 * ilp-connector 23.0.2 and ilp-protocol-stream 2.7.1, and the scripts) installed into {@code
 * target/node-harness} by {@code npm ci}, once per change of the lock file, so a clean checkout
 * runs the tests that need it. Scripts run with that directory as their working directory.
 */
public final class NodeHarness {
  private static final Path source = Path.of("src/test/node");
  private static final Path harness = Path.of("target/node-harness");
  private static final Duration npmTimeout = Duration.ofMinutes(5);

  private NodeHarness() {}

  /**
   * Copies the harness's files under target/ (every run: scripts change) and runs {@code npm ci}
   * there unless the installed lock file is the current one.
   *
   * @return the installed directory (absolute), where {@code node_modules} is
   * @throws IOException when npm fails or takes over 5 minutes, with its output
   */
  public static synchronized Path install() throws IOException, InterruptedException {
    Files.createDirectories(harness);
    for (Path f : files()) {
      Files.copy(f, harness.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    String lock = sha256(Files.readAllBytes(source.resolve("package-lock.json")));
    Path stamp = harness.resolve("node_modules/.inlet-installed");
    if (Files.exists(stamp) && Files.readString(stamp).equals(lock)) {
      return harness.toAbsolutePath();
    }
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(harness.toFile())
            .redirectErrorStream(true)
            .redirectOutput(harness.resolve("npm-ci.log").toFile())
            .start();
    if (!npm.waitFor(npmTimeout.toSeconds(), TimeUnit.SECONDS)) {
      npm.descendants().forEach(ProcessHandle::destroyForcibly);
      npm.destroyForcibly();
      throw new IOException("npm ci took over " + npmTimeout + " in " + harness);
    }
    if (npm.exitValue() != 0) {
      throw new IOException(
          "npm ci failed in "
              + harness
              + ": "
              + Files.readString(harness.resolve("npm-ci.log")).strip());
    }
    Files.writeString(stamp, lock);
    return harness.toAbsolutePath();
  }

  /** The regular files of {@code src/test/node} (a node_modules there, if any, is not copied). */
  private static List<Path> files() throws IOException {
    try (Stream<Path> all = Files.list(source)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
