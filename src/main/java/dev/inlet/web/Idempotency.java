package dev.inlet.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code Idempotency-Key} of a create request and the hash that tells a retry (same body) from
 * a reuse of the key with another body.
 */
public final class Idempotency {
  private static final Pattern key = Pattern.compile("[\\x21-\\x7E]{1,255}");

  private Idempotency() {}

  /**
   * The header's key: empty when absent.
   *
   * @throws IllegalArgumentException unless given once, 1..255 visible ASCII characters (answer 400
   *     {@code invalid-idempotency-key})
   */
  public static Optional<String> key(List<String> values) {
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() != 1 || !key.matcher(values.get(0)).matches()) {
      throw new IllegalArgumentException(
          "Idempotency-Key must be given once, 1 to 255 visible ASCII characters");
    }
    return Optional.of(values.get(0));
  }

  /**
   * SHA-256 of the body's canonical form: re-serialized with every object's keys sorted, so a retry
   * that orders its fields or spaces its JSON otherwise is the same request.
   */
  public static byte[] requestHash(JsonNode body, JsonMapper json) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(json.writeValueAsBytes(canonical(body, json)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static JsonNode canonical(JsonNode node, JsonMapper json) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>(node.propertyNames());
      Collections.sort(names);
      ObjectNode sorted = json.createObjectNode();
      for (String name : names) {
        sorted.set(name, canonical(node.get(name), json));
      }
      return sorted;
    }
    if (node.isArray()) {
      var array = json.createArrayNode();
      node.forEach(element -> array.add(canonical(element, json)));
      return array;
    }
    return node;
  }
}
