package dev.inlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test vectors kept in the repository, {@code src/test/resources/vectors/} (where each file
 * comes from: the README there). Read from the test classpath, so a plain clone has them.
 */
public final class Vectors {
  private static final JsonMapper json = JsonMapper.builder().build();
  private static final String directory = "/vectors/";

  private Vectors() {}

  /**
   * The whole JSON document in {@code fileName}.
   *
   * @throws IllegalStateException naming the missing resource when the file is not on the test
   *     classpath
   */
  public static JsonNode file(String fileName) {
    try (InputStream in = Vectors.class.getResourceAsStream(directory + fileName)) {
      if (in == null) {
        throw new IllegalStateException(
            "test vectors not found: classpath resource "
                + directory
                + fileName
                + " (src/test/resources"
                + directory
                + fileName
                + ")");
      }
      return json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("test vectors unreadable: " + directory + fileName, e);
    }
  }

  /** Every element of the top-level JSON array in {@code fileName}. */
  public static List<JsonNode> entries(String fileName) {
    List<JsonNode> entries = new ArrayList<>();
    file(fileName).forEach(entries::add);
    return entries;
  }

  /** The bytes of a hex string node. */
  public static byte[] hex(JsonNode node) {
    return hex(node.asString());
  }

  /** The bytes of a hex string. */
  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
