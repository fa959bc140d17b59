package dev.inlet.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Loads the shared test vectors; Surefire passes their directory as {@code inlet.vectors.dir}. */
final class Vectors {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Vectors() {}

  static JsonNode load(String fileName) {
    Path dir = Path.of(System.getProperty("inlet.vectors.dir", "../shared/vectors"));
    try {
      return JSON.readTree(Files.readString(dir.resolve(fileName)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asString());
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
