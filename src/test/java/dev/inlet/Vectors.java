package dev.inlet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared test vectors ({@code ../shared/vectors}). Surefire passes their directory as {@code inlet.vectors.dir};
 * run another way, the checkout's sibling folder is used.
 */
public final class Vectors {
  private static final JsonMapper json = JsonMapper.builder().build();

  private Vectors() {}

  /** The whole JSON document in {@code fileName}. */
  public static JsonNode file(String fileName) {
    Path file = Path.of(System.getProperty("inlet.vectors.dir", "../shared/vectors")).resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("test vectors not found at " + file.toAbsolutePath());
    }
    return json.readTree(file);
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
