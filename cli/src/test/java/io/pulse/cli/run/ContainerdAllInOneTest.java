package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.api.Kind;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest;
import io.pulse.worker.sandbox.containerd.api.ListTasksRequest;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * The all-in-one on the containerd runtime end to end: a private containerd, a registry on 127.0.0.1 holding the only
 * copy of the image, CNI bridge networking. Register, invoke through the gateway, watch the container run, let the
 * function scale to zero, and find nothing of ours left in containerd or in the CNI address store.
 */
class ContainerdAllInOneTest {

  private static final String NAMESPACE = "pulse-e2e";
  private static final String SUBNET = "10.88.251.0/28";

  @TempDir static Path dataDir;
  static ContainerdHarness containerd;
  static RegistryHarness registry;
  static ContainerdClient inspector;
  static AllInOne pulse;
  static String image;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeEndToEnd("containerd e2e test");
    containerd = ContainerdHarness.start();
    registry = RegistryHarness.start();
    image = TestImages.pushHttpd(registry.host(), "pulse/e2e-httpd", "v1");
    inspector = ContainerdClient.connect(containerd.socket(), NAMESPACE, 10_000);
    ContainerdOptions options = new ContainerdOptions(containerd.socket(), NAMESPACE, "cni",
        Set.of(registry.host()), Path.of("/usr/lib/cni"), false, RegistryCredentials.NONE).withCni(SUBNET, true);
    pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "containerd", dataDir, "fn.localhost", options),
        Duration.ofSeconds(60), AllInOne.Tuning.NONE
            .withControlPlane(c -> c.withTickMs(500).withDrainMs(200))
            .withWorker(w -> w.withStopGraceMs(500)));
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
    if (inspector != null) {
      inspector.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (containerd != null) {
      containerd.close();
    }
  }

  @Test
  void imageOnlyInALocalRegistry_isServedThenScaledToZeroLeavingNothing() throws Exception {
    JsonObject spec = new JsonObject().put("name", "web").put("image", image).put("port", 8080)
        .put("resources", new JsonObject().put("memoryMiB", 64).put("cpuMillis", 250))
        .put("scaling", new JsonObject().put("policy", "kpa").put("keepAliveSeconds", 2));
    HttpResponse<String> deployed = send(HttpRequest.newBuilder(URI.create(pulse.apiUrl() + "/v1/functions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spec.encode())));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

    HttpResponse<String> invoked = send(HttpRequest.newBuilder(URI.create(pulse.gatewayUrl() + "/fn/web/"))
        .timeout(Duration.ofSeconds(60)).GET());

    assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
    assertThat(invoked.body()).isEqualTo(TestImages.PAGE);
    assertThat(inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList())
        .as("containers while the function runs")
        .extracting(c -> c.getLabelsMap().get("io.pulse.function")).containsExactly("web");
    assertThat(ipamHolders()).hasSize(1);

    await("scale to zero").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersCount() == 0
            && pulse.worker().sandboxes().isEmpty());
    assertThat(inspector.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList()).isEmpty();
    List<String> active = new ArrayList<>();
    inspector.snapshots(null).list(ListSnapshotsRequest.newBuilder().setSnapshotter("overlayfs").build())
        .forEachRemaining(page -> page.getInfoList().stream().filter(i -> i.getKind() == Kind.ACTIVE)
            .forEach(i -> active.add(i.getName())));
    assertThat(active).as("sandbox snapshots").isEmpty();
    assertThat(ipamHolders()).as("CNI addresses").isEmpty();
  }

  /** Addresses host-local holds for our network (one file per address). */
  private static List<String> ipamHolders() throws Exception {
    Path dir = dataDir.resolve("cni").resolve("pulse-" + NAMESPACE);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.header("Authorization", "Bearer " + pulse.apiToken()).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
