package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.cli.PulseCommandAccess;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.OciRuntime;
import io.pulse.worker.sandbox.containerd.api.Kind;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest;
import io.pulse.worker.sandbox.containerd.api.ListTasksRequest;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On demand, not in the suite (a minute or more of real sandboxes; surefire runs {@code *Test} classes only): {@code
 * pulse bench coldstart --runtime containerd --pool-members 4} on a private containerd with the busybox httpd test image
 * in a private registry, then what the bench's all-in-one Pulse, its direct runtime and its raw OCI floor left once the
 * command returned: containers, tasks, active snapshots (namespace {@code bcp} and {@code bcp-direct}), shims, the
 * floor's mounts and the direct runtime's data directory, all of which must be none; and that the floor was measured with runc (and crun where it can run). CNI on 10.88.247.0/25 and 10.88.247.128/25, host ports 42000-42999. Run as root:
 *
 * <pre>
 * ./mvnw -pl cli -am verify -DskipITs -Dtest=BenchColdstartContainerdProbe -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.samples=5 -Dbench.out=$PWD/bench-out/coldstart-close
 * </pre>
 */
class BenchColdstartContainerdProbe {

  private static final String NAMESPACE = "bcp";

  @Test
  void coldstartWithPools_leavesNothingInContainerdOnceItReturns() throws Exception {
    ContainerdHarness.assumeEndToEnd("bench coldstart on containerd");
    Path out = Path.of(System.getProperty("bench.out", "bench-out/coldstart-close"));
    try (ContainerdHarness containerd = ContainerdHarness.start();
        RegistryHarness registry = RegistryHarness.start()) {
      String image = TestImages.pushHttpd(registry.host(), "pulse/httpd", "v1");
      String[] args = {"bench", "coldstart", "--runtime", "containerd", "--image", image,
          "--containerd-socket", containerd.socket().toString(), "--containerd-namespace", NAMESPACE,
          "--insecure-registry", registry.host(), "--network", "cni", "--cni-subnet", "10.88.247.0/25",
          "--direct-cni-subnet", "10.88.247.128/25", "--cni-ip-masq", "false", "--host-ports", "42000-42999",
          "--samples", System.getProperty("bench.samples", "5"), "--pool-members", "4", "--out", out.toString()};
      System.out.println("BenchColdstartContainerdProbe: pulse " + String.join(" ", args));

      List<String> directDirsBefore = directDirs();
      PulseCommandAccess.Result result = PulseCommandAccess.run(args);

      System.out.println(result.out());
      System.err.println(result.err());
      assertThat(result.code()).as("exit code; stderr: %s", result.err()).isZero();
      for (String namespace : List.of(NAMESPACE, NAMESPACE + "-direct")) {
        try (ContainerdClient inspector = ContainerdClient.connect(containerd.socket(), namespace, 10_000)) {
          List<String> left = left(inspector);
          System.out.println("left in namespace " + namespace + ": " + left);
          assertThat(left).as("namespace " + namespace).isEmpty();
        }
      }
      // A shim goes a beat after its task's deletion.
      await("shims gone").atMost(Duration.ofSeconds(10)).until(() -> containerd.shims().isEmpty());
      assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("pulse-raw-floor-");
      assertThat(directDirs()).as("the direct runtime's data directories").isEqualTo(directDirsBefore);
      JsonObject floor = new JsonObject(Files.readString(out.resolve("summary.json"))).getJsonObject("rawFloor");
      System.out.println("raw floor: " + floor.encode());
      for (OciRuntime runtime : OciRuntime.values()) {
        if (runtime.unusableBecause().isEmpty()) {
          assertThat(floor.getJsonObject(runtime.binary()).getDouble("p50Ms")).as(floor.encode()).isPositive();
        }
      }
    }
  }

  /** The direct runtime's data directories in the temp dir, by name. */
  private static List<String> directDirs() throws java.io.IOException {
    try (java.util.stream.Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pulse-bench-direct-")).sorted()
          .toList();
    }
  }

  /** Containers, tasks and active snapshots of one namespace, each named by kind and id. */
  private static List<String> left(ContainerdClient inspector) {
    List<String> left = new ArrayList<>();
    inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList()
        .forEach(c -> left.add("container " + c.getId()));
    inspector.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList()
        .forEach(t -> left.add("task " + t.getContainerId() + " " + t.getStatus()));
    inspector.snapshots(null).list(ListSnapshotsRequest.newBuilder().setSnapshotter("overlayfs").build())
        .forEachRemaining(page -> page.getInfoList().stream().filter(i -> i.getKind() == Kind.ACTIVE)
            .forEach(i -> left.add("snapshot " + i.getName())));
    return left;
  }
}
