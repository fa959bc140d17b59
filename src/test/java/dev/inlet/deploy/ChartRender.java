package dev.inlet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart in helm/inlet rendered by the real Helm ({@code helm template}), and the rendered YAML
 * read back: documents by kind, the Deployment's container, environment and volumes, Secret values.
 */
final class ChartRender {
  static final Path chart = Path.of("helm", "inlet");

  private ChartRender() {}

  static Manifests render(Map<String, Object> values) {
    TemplateCommand template = new Helm(chart).template().withName("inlet").withNamespace("pay");
    new LinkedHashMap<>(values).forEach(template::set);
    return new Manifests(template.call());
  }

  /** The documents of one render. */
  static final class Manifests {
    final String text;
    final List<Map<String, Object>> docs = new ArrayList<>();

    Manifests(String text) {
      this.text = text;
      for (Object doc : new Yaml().loadAll(text)) {
        if (doc != null) {
          docs.add(map(doc));
        }
      }
    }

    List<Map<String, Object>> all(String kind) {
      return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
      List<Map<String, Object>> found = all(kind);
      assertThat(found).as("rendered %s", kind).hasSize(1);
      return found.get(0);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  static Map<String, Object> container(Map<String, Object> deployment) {
    List<Object> containers = listAt(deployment, "spec", "template", "spec", "containers");
    assertThat(containers).hasSize(1);
    return map(containers.get(0));
  }

  static Map<String, Map<String, Object>> env(Map<String, Object> deployment) {
    Map<String, Map<String, Object>> env = new LinkedHashMap<>();
    for (Object e : list(container(deployment).get("env"))) {
      Map<String, Object> var = map(e);
      assertThat(env.put((String) var.get("name"), var))
          .as("duplicate env %s", var.get("name"))
          .isNull();
    }
    return env;
  }

  static Map<String, Object> secretRef(Map<String, Map<String, Object>> env, String name) {
    assertThat(env).containsKey(name);
    Object ref = at(env.get(name), "valueFrom", "secretKeyRef");
    assertThat(ref).as("%s from a secretKeyRef", name).isNotNull();
    return map(ref);
  }

  static Map<String, Object> volume(Map<String, Object> deployment, String name) {
    return (listAt(deployment, "spec", "template", "spec", "volumes"))
        .stream()
            .map(ChartRender::map)
            .filter(v -> name.equals(v.get("name")))
            .findFirst()
            .orElseThrow();
  }

  static String decoded(Map<String, Object> secret, String key) {
    Object value = at(secret, "data", key);
    assertThat(value).as("Secret key %s", key).isNotNull();
    return new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8);
  }

  static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }

  static Map<String, Object> mapAt(Object node, String... path) {
    return map(at(node, path));
  }

  static List<Object> listAt(Object node, String... path) {
    return list(at(node, path));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) Objects.requireNonNull(o);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) Objects.requireNonNull(o);
  }
}
