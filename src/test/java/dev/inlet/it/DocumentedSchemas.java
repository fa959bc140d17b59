package dev.inlet.it;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks real answers against the OpenAPI document Inlet serves, strictly enough to catch drift:
 * the status must be documented for the operation, and a JSON body must fit the documented schema
 * with objects taken as closed (every member the answer has is declared, every required one is
 * there), plus types, {@code nullable}, {@code enum}, {@code pattern}, {@code $ref}, {@code allOf}
 * (merged) and {@code oneOf} (exactly one fits). Objects that declare no properties take any
 * members.
 */
final class DocumentedSchemas {
  private final JsonNode doc;

  DocumentedSchemas(JsonNode doc) {
    this.doc = doc;
  }

  /**
   * The differences between {@code r} and what the document says {@code method path} answers: its
   * status documented, and its body fitting the status's {@code mediaType} schema (or empty when
   * the status has no content).
   */
  List<String> check(String method, String path, String mediaType, HttpResponse<String> r) {
    JsonNode response =
        resolve(
            doc.path("paths")
                .path(path)
                .path(method.toLowerCase(java.util.Locale.ROOT))
                .path("responses")
                .path(Integer.toString(r.statusCode())));
    if (response.isMissingNode()) {
      return List.of(method + " " + path + " answered undocumented " + r.statusCode());
    }
    if (!response.has("content")) {
      return r.body().isEmpty()
          ? List.of()
          : List.of(method + " " + path + " " + r.statusCode() + " has an undocumented body");
    }
    JsonNode schema = response.path("content").path(mediaType).path("schema");
    if (schema.isMissingNode()) {
      return List.of(
          method + " " + path + " " + r.statusCode() + " has no " + mediaType + " schema");
    }
    List<String> errors = new ArrayList<>();
    check(schema, TestInlet.json.readTree(r.body()), "$", errors);
    return errors;
  }

  /** The differences between {@code value} and {@code schema}, each naming where ({@code at}). */
  void check(JsonNode schema, JsonNode value, String at, List<String> errors) {
    Flat s = flatten(schema);
    if (value.isNull()) {
      if (!s.nullable) {
        errors.add(at + " is null but not nullable");
      }
      return;
    }
    if (!s.oneOf.isEmpty()) {
      int fits = 0;
      for (JsonNode option : s.oneOf) {
        List<String> own = new ArrayList<>();
        check(option, value, at, own);
        fits += own.isEmpty() ? 1 : 0;
      }
      if (fits != 1) {
        errors.add(at + " fits " + fits + " of its oneOf schemas: " + value);
      }
      return;
    }
    String type = s.type != null ? s.type : s.properties.isEmpty() ? null : "object";
    if (type == null) {
      return;
    }
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          errors.add(at + " is not an object");
          return;
        }
        for (String required : s.required) {
          if (!value.has(required)) {
            errors.add(at + "." + required + " is required but missing");
          }
        }
        if (s.properties.isEmpty()) {
          return;
        }
        for (Map.Entry<String, JsonNode> member : value.properties()) {
          JsonNode declared = s.properties.get(member.getKey());
          if (declared == null) {
            errors.add(at + "." + member.getKey() + " is not declared");
          } else {
            check(declared, member.getValue(), at + "." + member.getKey(), errors);
          }
        }
      }
      case "array" -> {
        if (!value.isArray()) {
          errors.add(at + " is not an array");
          return;
        }
        int i = 0;
        for (JsonNode item : value) {
          check(s.items, item, at + "[" + i++ + "]", errors);
        }
      }
      case "string" -> {
        if (!value.isString()) {
          errors.add(at + " is not a string: " + value);
        } else if (s.pattern != null && !value.asString().matches(s.pattern)) {
          errors.add(at + " does not match " + s.pattern + ": " + value);
        } else if (s.enumValues != null && !s.enumValues.contains(value.asString())) {
          errors.add(at + " is none of " + s.enumValues + ": " + value);
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          errors.add(at + " is not an integer: " + value);
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          errors.add(at + " is not a boolean: " + value);
        }
      }
      default -> errors.add(at + ": the document uses type " + type + ", unknown to this check");
    }
  }

  /** A schema with its {@code $ref} followed and its {@code allOf} parts merged. */
  private record Flat(
      String type,
      Map<String, JsonNode> properties,
      Set<String> required,
      JsonNode items,
      Set<String> enumValues,
      String pattern,
      boolean nullable,
      List<JsonNode> oneOf) {}

  private Flat flatten(JsonNode schema) {
    JsonNode s = resolve(schema);
    Map<String, JsonNode> properties = new LinkedHashMap<>();
    Set<String> required = new LinkedHashSet<>();
    String type = s.path("type").isString() ? s.get("type").asString() : null;
    JsonNode items = s.path("items");
    Set<String> enumValues = null;
    String pattern = s.path("pattern").isString() ? s.get("pattern").asString() : null;
    for (JsonNode part : s.path("allOf")) {
      Flat f = flatten(part);
      properties.putAll(f.properties);
      required.addAll(f.required);
      type = type != null ? type : f.type;
      items = items.isMissingNode() ? f.items : items;
      enumValues = f.enumValues;
      pattern = pattern != null ? pattern : f.pattern;
    }
    for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
      properties.put(p.getKey(), p.getValue());
    }
    s.path("required").forEach(r -> required.add(r.asString()));
    if (s.has("enum")) {
      enumValues = new LinkedHashSet<>();
      for (JsonNode e : s.get("enum")) {
        enumValues.add(e.asString());
      }
    }
    List<JsonNode> oneOf = new ArrayList<>();
    s.path("oneOf").forEach(oneOf::add);
    return new Flat(
        type,
        properties,
        required,
        items,
        enumValues,
        pattern,
        s.path("nullable").asBoolean(false),
        oneOf);
  }

  /** Follows a local {@code $ref} ({@code #/components/...}). */
  private JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    while (n.has("$ref")) {
      n = doc.at(n.get("$ref").asString().substring(1));
    }
    return n;
  }
}
