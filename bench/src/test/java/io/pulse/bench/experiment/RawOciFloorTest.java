package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.worker.image.ImageConfig;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.sandbox.containerd.OciRuntime;
import io.pulse.worker.sandbox.containerd.api.Kind;
import io.pulse.worker.sandbox.containerd.api.ListLeasesRequest;
import io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest;
import io.pulse.worker.testing.ContainerdRig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw floor on a real containerd (private, with the busybox httpd test image in a local registry) and the real
 * runc and crun: each runtime that can run here runs the image's own rootfs until its server answers, and the floor
 * leaves no container, mount, view snapshot, lease, cgroup or directory behind. Skipped without root or containerd
 * (failed under CI).
 */
class RawOciFloorTest {

  private static final String NAMESPACE = "rawfloor";
  private static ContainerdRig rig;
  private static ContainerdSandboxRuntime runtime;
  private static ContainerdSettings settings;
  private static ImageConfig image;
  @TempDir static Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> answered = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    rig = ContainerdRig.start();
    settings = ContainerdSettings.defaults(rig.containerd().socket(), dataDir).withNamespace(NAMESPACE)
        .withInsecureRegistries(Set.of(rig.registry().host())).withNetwork("host").withPortRange(31000, 31099);
    runtime = new ContainerdSandboxRuntime(settings);
    runtime.prepareImage(rig.image()).toCompletableFuture().join();
    image = runtime.imageConfig(rig.image());
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close().toCompletableFuture().join();
    }
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void eachUsableRuntime_runsTheImagesRootfsUntilItAnswers_andLeavesNothing() throws Exception {
    List<OciRuntime> usable = Arrays.stream(OciRuntime.values()).filter(r -> r.unusableBecause().isEmpty()).toList();
    Path dir;
    JsonObject summary;
    try (RawOciFloor floor = RawOciFloor.open(settings, spec(), image, checkedGet())) {
      dir = floor.dir();
      for (int n = 0; n < 3; n++) {
        System.out.println("RawOciFloorTest sample " + n + ": " + floor.sample(n, n == 0));
      }
      summary = floor.summary(Map.of("directPoolHit", 20.0));
    }

    System.out.println("RawOciFloorTest: " + summary.encode());
    assertThat(usable).contains(OciRuntime.RUNC);
    for (OciRuntime runtime : usable) {
      JsonObject measured = summary.getJsonObject(runtime.binary());
      assertThat(measured.getInteger("samples")).as(measured.encode()).isEqualTo(2);
      assertThat(measured.getDouble("p50Ms")).isPositive();
      assertThat(measured.getJsonObject("p50OverFloorP50").getDouble("directPoolHit"))
          .isCloseTo(20.0 / measured.getDouble("p50Ms"), within(0.001));
    }
    // Every sample's request reached a server that answered 200 on the port its bundle gave it.
    assertThat(answered).hasSize(3 * usable.size()).doesNotHaveDuplicates();
    assertLeftNothing(dir);
  }

  @Test
  void aRuntimeThatFailsASample_isSkippedWithItsReason_andLeavesNothing() throws Exception {
    ImageConfig broken = new ImageConfig(image.name(), image.manifestDigest(), image.chainId(), List.of(),
        List.of("/no/such/binary"), image.env(), "", "");
    Path dir;
    JsonObject summary;
    try (RawOciFloor floor = RawOciFloor.open(settings, spec(), broken, checkedGet())) {
      dir = floor.dir();
      assertThat(floor.sample(0, false)).contains("runc failed");
      assertThat(floor.sample(1, false)).doesNotContain("runc");
      summary = floor.summary(Map.of());
    }

    assertThat(summary.getJsonObject("runc").getString("skipped")).contains("sample 0 failed", "/no/such/binary");
    assertThat(answered).isEmpty();
    assertLeftNothing(dir);
  }

  private static SandboxSpec spec() {
    return new SandboxSpec("direct", 1, rig.image(), List.of(), 8080, Map.of(), new Resources(250, 64), 30_000);
  }

  private Consumer<String> checkedGet() {
    return url -> {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        answered.add(url);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** No mount under, no directory of, no snapshot or lease in containerd from the floor, no container's cgroup. */
  private static void assertLeftNothing(Path dir) throws Exception {
    assertThat(dir).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
    try (ContainerdClient inspector = ContainerdClient.connect(settings.socket(), NAMESPACE, 10_000)) {
      List<String> uncommitted = new ArrayList<>();
      inspector.snapshots(null).list(ListSnapshotsRequest.newBuilder().setSnapshotter(settings.snapshotter()).build())
          .forEachRemaining(page -> page.getInfoList().stream().filter(i -> i.getKind() != Kind.COMMITTED)
              .forEach(i -> uncommitted.add(i.getName())));
      assertThat(uncommitted).isEmpty();
      assertThat(inspector.leases().list(ListLeasesRequest.getDefaultInstance()).getLeasesList())
          .noneMatch(l -> l.getId().startsWith("pulse-raw-floor-"));
    }
    try (var cgroups = Files.list(Path.of("/sys/fs/cgroup/memory"))) {
      assertThat(cgroups.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith("pulse-floor-" + NAMESPACE));
    }
  }
}
