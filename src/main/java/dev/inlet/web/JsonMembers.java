package dev.inlet.web;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The member order of the API's objects: documented members first, in the documented order. */
public final class JsonMembers {
  private JsonMembers() {}

  /** A copy of {@code object} with the members named in {@code order} first, then the others. */
  public static ObjectNode ordered(ObjectNode object, List<String> order, JsonMapper json) {
    ObjectNode out = json.createObjectNode();
    for (String name : order) {
      if (object.has(name)) {
        out.set(name, object.get(name));
      }
    }
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      if (!out.has(member.getKey())) {
        out.set(member.getKey(), member.getValue());
      }
    }
    return out;
  }
}
