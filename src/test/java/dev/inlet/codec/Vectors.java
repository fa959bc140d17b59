package dev.inlet.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared test vectors. Surefire passes their directory as {@code inlet.vectors.dir}; when a test
 * is run another way, the checkout's sibling {@code ../shared/vectors} is used.
 */
public final class Vectors {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Vectors() {}

  /** Every element of the top-level JSON array in {@code fileName}. */
  public static List<JsonNode> load(String fileName) {
    Path dir = Path.of(System.getProperty("inlet.vectors.dir", "../shared/vectors"));
    Path file = dir.resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("test vectors not found at " + file.toAbsolutePath());
    }
    List<JsonNode> entries = new ArrayList<>();
    JSON.readTree(file).forEach(entries::add);
    return entries;
  }
}
