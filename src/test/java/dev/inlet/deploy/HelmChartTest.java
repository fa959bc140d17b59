package dev.inlet.deploy;

import static dev.inlet.deploy.ChartRender.at;
import static dev.inlet.deploy.ChartRender.chart;
import static dev.inlet.deploy.ChartRender.container;
import static dev.inlet.deploy.ChartRender.decoded;
import static dev.inlet.deploy.ChartRender.env;
import static dev.inlet.deploy.ChartRender.list;
import static dev.inlet.deploy.ChartRender.listAt;
import static dev.inlet.deploy.ChartRender.map;
import static dev.inlet.deploy.ChartRender.mapAt;
import static dev.inlet.deploy.ChartRender.render;
import static dev.inlet.deploy.ChartRender.secretRef;
import static dev.inlet.deploy.ChartRender.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.inlet.deploy.ChartRender.Manifests;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart in helm/inlet, linted and rendered by the real Helm (helm-java's native library),
 * with the rendered manifests read back as YAML.
 */
class HelmChartTest {
  private static final String externalDb = "jdbc:postgresql://postgres.db.svc:5432/inlet";
  private static final String adminToken = "admin-t0ken-of-at-least-32-characters";
  private static final String connectorToken = "connector-t0ken-of-at-least-32-characters";

  @Test
  void lintPasses() {
    LintResult result = new Helm(chart).lint().strict().call();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void defaultRenderIsOneReplicaOnTheEmbeddedDatabaseWithAKeptVolume() {
    Manifests m = render(Map.of());
    Map<String, Object> deployment = m.one("Deployment");
    assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
    // One PostgreSQL server per data directory: the old pod stops before the new one starts.
    assertThat(at(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");

    Map<String, Object> claim = m.one("PersistentVolumeClaim");
    assertThat(at(claim, "metadata", "annotations", "helm.sh/resource-policy")).isEqualTo("keep");
    assertThat(volume(deployment, "data"))
        .containsEntry("persistentVolumeClaim", Map.of("claimName", at(claim, "metadata", "name")));
    assertThat(env(deployment))
        .containsKey("INLET_DATA_DIR")
        .doesNotContainKeys("INLET_DATABASE_URL", "INLET_DATABASE_PASSWORD");
    // The packet path's self-warm-up before readiness, as the application's default.
    assertThat(env(deployment).get("INLET_WARMUP")).containsEntry("value", "5s");
    assertThat(m.all("Ingress")).isEmpty();
    // A changed Secret rolls the pods.
    assertThat(mapAt(deployment, "spec", "template", "metadata", "annotations"))
        .containsKey("checksum/secret");
    assertHardenedAndProbed(deployment);
  }

  @Test
  void externalDatabaseWithThreeReplicasRendersARollingUpdateWithoutVolume() {
    Manifests m =
        render(
            Map.of(
                "replicaCount",
                3,
                "externalDatabase.url",
                externalDb,
                "externalDatabase.user",
                "inlet",
                "externalDatabase.password",
                "db-pass"));
    Map<String, Object> deployment = m.one("Deployment");
    assertThat(at(deployment, "spec", "replicas")).isEqualTo(3);
    assertThat(at(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
    assertThat(at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);
    assertThat(m.all("PersistentVolumeClaim")).isEmpty();
    assertThat(volume(deployment, "data")).containsKey("emptyDir");

    Map<String, Map<String, Object>> env = env(deployment);
    assertThat(env.get("INLET_DATABASE_URL")).containsEntry("value", externalDb);
    assertThat(env.get("INLET_DATABASE_USER")).containsEntry("value", "inlet");
    assertThat(secretRef(env, "INLET_DATABASE_PASSWORD"))
        .containsEntry("name", "inlet")
        .containsEntry("key", "database-password");
    assertThat(decoded(m.one("Secret"), "database-password")).isEqualTo("db-pass");
    assertThat(m.toString()).doesNotContain("db-pass");
    assertHardenedAndProbed(deployment);
  }

  @Test
  void moreThanOneReplicaWithoutAnExternalDatabaseFailsToRender() {
    assertThatThrownBy(() -> render(Map.of("replicaCount", 2)))
        .hasMessageContaining("replicaCount is 2 but externalDatabase.url is empty")
        .hasMessageContaining("embedded PostgreSQL");
  }

  @Test
  void secretHoldsTheGivenValuesAndTheEnvironmentReadsThemFromIt() {
    String serverSecret = Base64.getEncoder().encodeToString(new byte[32]);
    Manifests m =
        render(
            Map.of(
                "secrets.serverSecret",
                serverSecret,
                "secrets.adminToken",
                adminToken,
                "secrets.connectorToken",
                connectorToken));
    Map<String, Object> secret = m.one("Secret");
    assertThat(at(secret, "metadata", "name")).isEqualTo("inlet");
    assertThat(decoded(secret, "server-secret")).isEqualTo(serverSecret);
    assertThat(decoded(secret, "admin-token")).isEqualTo(adminToken);
    assertThat(decoded(secret, "connector-token")).isEqualTo(connectorToken);
    assertThat(secret)
        .extractingByKey("data")
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .doesNotContainKey("database-password");

    Map<String, Map<String, Object>> env = env(m.one("Deployment"));
    assertThat(secretRef(env, "INLET_SERVER_SECRET"))
        .isEqualTo(Map.of("name", "inlet", "key", "server-secret"));
    assertThat(secretRef(env, "INLET_ADMIN_TOKEN"))
        .isEqualTo(Map.of("name", "inlet", "key", "admin-token"));
    assertThat(secretRef(env, "INLET_CONNECTOR_TOKEN"))
        .isEqualTo(Map.of("name", "inlet", "key", "connector-token"));
    // The values reach the pod only through the Secret: never as plain env values in the
    // Deployment.
    String deploymentYaml = new Yaml().dump(m.one("Deployment"));
    assertThat(deploymentYaml).doesNotContain(adminToken, connectorToken, serverSecret);
  }

  @Test
  void theUplinkComesFromTheSecretAndWithoutAnAddressInletAsksItsParent() {
    String btp = "btp+wss://inlet:parent-secret@connector.example.com";
    Manifests m = render(Map.of("secrets.uplinkUrl", btp, "inlet.ilpAddress", ""));
    assertThat(decoded(m.one("Secret"), "uplink-url")).isEqualTo(btp);
    Map<String, Map<String, Object>> env = env(m.one("Deployment"));
    assertThat(secretRef(env, "INLET_UPLINK_URL"))
        .isEqualTo(Map.of("name", "inlet", "key", "uplink-url", "optional", true));
    assertThat(env).doesNotContainKeys("INLET_ILP_ADDRESS", "INLET_UPLINK_TOKEN");
    assertThat(new Yaml().dump(m.one("Deployment"))).doesNotContain("parent-secret");

    Map<String, Map<String, Object>> none = env(render(Map.of()).one("Deployment"));
    assertThat(none).doesNotContainKeys("INLET_UPLINK_URL", "INLET_UPLINK_TOKEN");
    assertThat(none.get("INLET_ILP_ADDRESS")).containsEntry("value", "test.inlet");
  }

  @Test
  void aTokenShorterThan32CharactersFailsToRender() {
    assertThatThrownBy(() -> render(Map.of("secrets.adminToken", "admin-t0ken")))
        .hasMessageContaining("secrets.adminToken has 11 characters")
        .hasMessageContaining("shorter than 32");
    assertThatThrownBy(() -> render(Map.of("secrets.connectorToken", "x".repeat(31))))
        .hasMessageContaining("secrets.connectorToken has 31 characters");
  }

  @Test
  void emptySecretValuesAreGenerated() {
    Map<String, Object> secret = render(Map.of()).one("Secret");
    assertThat(Base64.getDecoder().decode(decoded(secret, "server-secret")))
        .hasSizeGreaterThanOrEqualTo(32);
    assertThat(decoded(secret, "admin-token")).hasSizeGreaterThanOrEqualTo(32);
    assertThat(decoded(secret, "connector-token"))
        .hasSizeGreaterThanOrEqualTo(32)
        .isNotEqualTo(decoded(secret, "admin-token"));
  }

  @Test
  void existingSecretIsUsedAndNoSecretIsRendered() {
    Manifests m =
        render(
            Map.of(
                "existingSecret",
                "inlet-prod",
                "externalDatabase.url",
                externalDb,
                "replicaCount",
                2));
    assertThat(m.all("Secret")).isEmpty();
    Map<String, Object> deployment = m.one("Deployment");
    Map<String, Map<String, Object>> env = env(deployment);
    for (String name :
        List.of("INLET_SERVER_SECRET", "INLET_ADMIN_TOKEN", "INLET_CONNECTOR_TOKEN")) {
      assertThat(secretRef(env, name)).containsEntry("name", "inlet-prod");
    }
    // The password may be in the URL instead: the key is optional in a Secret the chart does not
    // own.
    assertThat(secretRef(env, "INLET_DATABASE_PASSWORD"))
        .containsEntry("name", "inlet-prod")
        .containsEntry("key", "database-password")
        .containsEntry("optional", true);
    assertThat(mapAt(deployment, "spec", "template", "metadata", "annotations"))
        .doesNotContainKey("checksum/secret");
  }

  @Test
  void ingressIsRenderedOnlyWhenEnabledWithTls() {
    assertThat(render(Map.of()).all("Ingress")).isEmpty();

    Manifests m =
        render(
            Map.of(
                "ingress.enabled",
                true,
                "ingress.host",
                "pay.example.org",
                "ingress.className",
                "nginx"));
    Map<String, Object> ingress = m.one("Ingress");
    assertThat(at(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
    List<Object> tls = listAt(ingress, "spec", "tls");
    assertThat(tls).hasSize(1);
    assertThat(map(tls.get(0)))
        .containsEntry("hosts", List.of("pay.example.org"))
        .containsEntry("secretName", "inlet-tls");
    Map<String, Object> rule = map(listAt(ingress, "spec", "rules").get(0));
    assertThat(rule.get("host")).isEqualTo("pay.example.org");
    List<Object> paths = listAt(rule, "http", "paths");
    assertThat(paths).hasSize(1);
    Map<String, Object> path = map(paths.get(0));
    assertThat(path.get("path")).isEqualTo("/");
    assertThat(path.get("pathType")).isEqualTo("Prefix");
    assertThat(at(path, "backend", "service", "name"))
        .isEqualTo(at(m.one("Service"), "metadata", "name"));
    assertThat(at(path, "backend", "service", "port", "name")).isEqualTo("http");
  }

  @Test
  void theIlpPortIsAClusterInternalServicePortThatTheIngressNeverRoutesTo() {
    Manifests m = render(Map.of("ingress.enabled", true, "ingress.host", "pay.example.org"));
    Map<String, Object> service = m.one("Service");
    assertThat(at(service, "spec", "type")).isEqualTo("ClusterIP");
    assertThat(list(at(service, "spec", "ports")))
        .containsExactly(
            Map.of("name", "http", "port", 80, "targetPort", "http", "protocol", "TCP"),
            Map.of("name", "ilp", "port", 8081, "targetPort", "ilp", "protocol", "TCP"));
    // Every backend of the Ingress is the public port http, by name, never ilp nor its number.
    Map<String, Object> ingress = m.one("Ingress");
    assertThat(ingress.get("spec").toString()).doesNotContain("ilp", "8081");
    for (Object rule : listAt(ingress, "spec", "rules")) {
      for (Object path : listAt(rule, "http", "paths")) {
        assertThat(at(path, "backend", "service", "port")).isEqualTo(Map.of("name", "http"));
      }
    }
    assertThat(at(ingress, "spec", "defaultBackend")).isNull();
    assertThat(env(m.one("Deployment")).get("INLET_ILP_PORT")).containsEntry("value", "8081");
  }

  @Test
  void serviceSelectsThePodsAndEveryObjectIsLabelled() {
    Manifests m = render(Map.of("ingress.enabled", true));
    Map<String, Object> deployment = m.one("Deployment");
    Map<String, Object> podLabels = mapAt(deployment, "spec", "template", "metadata", "labels");
    assertThat(mapAt(m.one("Service"), "spec", "selector"))
        .isEqualTo(at(deployment, "spec", "selector", "matchLabels"))
        .containsEntry("app.kubernetes.io/name", "inlet")
        .containsEntry("app.kubernetes.io/instance", "inlet");
    assertThat(podLabels).containsAllEntriesOf(mapAt(m.one("Service"), "spec", "selector"));
    assertThat(at(m.one("Service"), "spec", "ports")).asString().contains("targetPort=http");
    for (Map<String, Object> doc : m.docs) {
      assertThat(mapAt(doc, "metadata", "labels"))
          .as("labels of %s", doc.get("kind"))
          .containsKeys(
              "app.kubernetes.io/name",
              "app.kubernetes.io/instance",
              "app.kubernetes.io/version",
              "app.kubernetes.io/managed-by",
              "helm.sh/chart");
    }
  }

  @Test
  void notesSayHowToFetchAPaymentPointerAndWhereTheAdminTokenIs() throws Exception {
    // helm lint (above) renders NOTES.txt with the default values; this checks what it tells.
    String notes = Files.readString(chart.resolve("templates/NOTES.txt"));
    assertThat(notes)
        .contains(
            "Accept: application/spsp4+json",
            "port-forward svc/",
            "{{ $secretName }} -o jsonpath='{.data.admin-token}' | base64 -d",
            "${{ .Values.ingress.host }}/<account>");
  }

  /** What both database modes share: probes, security, resources, shutdown, metrics annotations. */
  private static void assertHardenedAndProbed(Map<String, Object> deployment) {
    Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
    Map<String, Object> container = container(deployment);

    assertThat(list(container.get("ports")))
        .containsExactly(
            Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
            Map.of("name", "ilp", "containerPort", 8081, "protocol", "TCP"),
            Map.of("name", "management", "containerPort", 9090, "protocol", "TCP"));
    assertThat(env(deployment).get("SERVER_PORT")).containsEntry("value", "8080");
    // Actuator on its own port: the Service and the Ingress (port http) never expose it.
    assertThat(env(deployment).get("INLET_MANAGEMENT_PORT")).containsEntry("value", "9090");
    assertThat(at(container, "readinessProbe", "httpGet"))
        .isEqualTo(Map.of("path", "/actuator/health/readiness", "port", "management"));
    assertThat(at(container, "livenessProbe", "httpGet"))
        .isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
    assertThat(at(container, "startupProbe", "httpGet"))
        .isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
    assertThat(
            (int) at(container, "startupProbe", "failureThreshold")
                * (int) at(container, "startupProbe", "periodSeconds"))
        .isGreaterThanOrEqualTo(120);

    assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
    assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
    assertThat(at(pod, "securityContext", "fsGroup")).isEqualTo(10001);
    assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
    assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(container, "securityContext", "capabilities", "drop")).isEqualTo(List.of("ALL"));
    // A read-only root needs a writable /tmp (the embedded PostgreSQL unpacks there) and the data
    // directory.
    assertThat(volume(deployment, "tmp")).containsKey("emptyDir");
    assertThat(list(container.get("volumeMounts")))
        .contains(
            Map.of("name", "tmp", "mountPath", "/tmp"),
            Map.of("name", "data", "mountPath", "/var/lib/inlet"));

    assertThat(mapAt(container, "resources", "requests")).containsKeys("cpu", "memory");
    assertThat(mapAt(container, "resources", "limits")).containsKey("memory");

    List<Object> preStop = listAt(container, "lifecycle", "preStop", "exec", "command");
    assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
    int sleep = Integer.parseInt((String) preStop.get(1));
    assertThat(sleep).isPositive();
    // preStop sleep, then Spring's graceful shutdown (30 s by default) must fit in the grace
    // period.
    assertThat((int) pod.get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(sleep + 30);

    Map<String, Object> annotations =
        mapAt(deployment, "spec", "template", "metadata", "annotations");
    assertThat(annotations)
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "9090")
        .containsEntry("prometheus.io/path", "/actuator/prometheus");

    Map<String, Map<String, Object>> env = env(deployment);
    for (String name :
        List.of("INLET_SERVER_SECRET", "INLET_ADMIN_TOKEN", "INLET_CONNECTOR_TOKEN")) {
      assertThat(env.get(name)).as(name).doesNotContainKey("value");
      assertThat(secretRef(env, name))
          .containsEntry("key", name.substring("INLET_".length()).toLowerCase().replace('_', '-'));
    }
    for (String name : List.of("INLET_ILP_ADDRESS", "INLET_ASSET_CODE", "INLET_ASSET_SCALE")) {
      assertThat(env.get(name)).as(name).containsKey("value");
    }
  }
}
