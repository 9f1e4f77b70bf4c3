package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulse.common.log.LogfmtLayout;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.containerd.NetworkMode;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Published images on a worker with the containerd runtime's default settings ({@code --network auto}, default
 * readiness, no port configured), through the REST API and the gateway: a busybox httpd image that listens on a fixed
 * 8080 and whose CGI answers with bare-LF headers; a function with a secret, whose value reaches the sandbox and
 * nothing else; and the instances' output read back through {@code GET /v1/functions/{name}/logs}. Only what must
 * not collide with other tests on this machine is set: containerd's socket and namespace, the CNI subnet, and the
 * local registry as a plain-HTTP one.
 */
class ContainerdDefaultsTest {

  private static final String NAMESPACE = "pulse-defaults";
  private static final String SUBNET = "10.88.252.0/28";

  @TempDir static Path dataDir;
  @TempDir static Path scratch;
  static ContainerdHarness containerd;
  static RegistryHarness registry;
  static AllInOne pulse;
  static PulseTestClient client;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeEndToEnd("containerd defaults test");
    containerd = ContainerdHarness.start();
    registry = RegistryHarness.start();
    image = TestImages.pushFixedPortHttpd(registry.host(), "pulse/published-httpd", "v1");
    ContainerdOptions defaults = ContainerdOptions.defaults();
    assertThat(defaults.network()).isEqualTo(NetworkMode.AUTO);
    ContainerdOptions options = new ContainerdOptions(containerd.socket(), NAMESPACE, defaults.network(),
        Set.of(registry.host()), defaults.cniBinDir(), defaults.readOnlyRootfs(), RegistryCredentials.NONE)
        .withCni(SUBNET, defaults.cniIpMasq());
    pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "containerd", dataDir, "fn.localhost", options),
        Duration.ofSeconds(60), AllInOne.Tuning.NONE.withControlPlane(c -> c.withSecurity(
            c.security().withAuditLog(scratch.resolve("audit.jsonl")))));
    client = new PulseTestClient(pulse);
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (containerd != null) {
      containerd.close();
    }
  }

  @Test
  void imageOnAFixed8080WithBareLfCgi_answers200ThroughTheGateway() {
    JsonObject spec = new JsonObject().put("name", "published").put("image", image).put("port", 8080);
    HttpResponse<String> deployed = client.deploy(spec);
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

    HttpResponse<String> page = client.invoke("published", "/", "");
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).isEqualTo(TestImages.PAGE);
    HttpResponse<String> cgi = client.invoke("published", "/cgi-bin/hello", "");
    assertThat(cgi.statusCode()).as(cgi.body()).isEqualTo(200);
    assertThat(cgi.body()).startsWith("hello from ");
    assertThat(cgi.headers().firstValue("Content-Type")).hasValue("text/plain");
  }

  @Test
  void secretInTheSpec_isReadInsideTheSandbox_andInNoAnswerLogLineAuditLineOrMetric() throws Exception {
    String value = "c0ntainerd-s3cret-" + System.nanoTime();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    List<String> answers = new ArrayList<>();
    try {
      HttpResponse<String> created = client.api("POST", "/v1/secrets",
          new JsonObject().put("name", "db").put("value", value).encode());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      answers.add(created.body());
      // Kept after its request, so that its output can be read back while it exists.
      JsonObject spec = new JsonObject().put("name", "sec").put("image", image).put("port", 8080)
          .put("command", new JsonArray().add("/bin/sh").add("-c")
              .add("echo starting with $(ls /var/run/secrets/pulse); exec httpd -f -p 8080 -h /www"))
          .put("secrets", new JsonArray().add("db"))
          .put("scaling", new JsonObject().put("policy", "emergency-only").put("emergencyKeepAliveMs", 60_000));
      HttpResponse<String> deployed = client.deploy(spec);
      assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
      answers.add(deployed.body());

      HttpResponse<String> secret = client.invoke("sec", "/cgi-bin/secret", "");
      assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
      assertThat(secret.body()).isEqualTo(value);

      // Its output, through the worker's log files and the leader: tagged with the instance and its kind.
      await("the function's output through the API").atMost(Duration.ofSeconds(30))
          .until(() -> client.api("GET", "/v1/functions/sec/logs", "").body().contains("starting with db"));
      JsonObject read = new JsonObject(client.api("GET", "/v1/functions/sec/logs", "").body());
      assertThat(read.getJsonArray("errors")).isEmpty();
      JsonObject line = read.getJsonArray("lines").getJsonObject(0);
      assertThat(line.getString("text")).isEqualTo("starting with db");
      assertThat(line.getString("kind")).isEqualTo("emergency");
      assertThat(line.getString("instance")).startsWith("sec-");
      answers.add(read.encode());

      for (String path : List.of("/v1/functions/sec", "/v1/functions", "/v1/secrets", "/v1/secrets/db",
          "/v1/functions/sec/instances", "/metrics")) {
        answers.add(client.api("GET", path, "").body());
      }
    } finally {
      root.detachAppender(logs);
    }

    assertThat(answers).noneMatch(answer -> answer.contains(value));
    LogfmtLayout layout = new LogfmtLayout();
    assertThat(logs.list.stream().map(layout::doLayout).toList()).as("captured log lines").isNotEmpty()
        .noneMatch(logLine -> logLine.contains(value));
    assertThat(Files.readString(scratch.resolve("audit.jsonl"))).contains("/v1/secrets").doesNotContain(value);
    // Nor on the disk of the worker and the control plane (the value lives in a tmpfs, sealed in the registry).
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path stored : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(stored), StandardCharsets.ISO_8859_1)).as(stored.toString())
            .doesNotContain(value);
      }
    }
  }
}
