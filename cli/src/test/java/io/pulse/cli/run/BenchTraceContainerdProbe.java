package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.experiment.TraceExperiment;
import io.pulse.bench.experiment.TraceWindowsExperiment;
import io.pulse.bench.schedule.ReplayOptions;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On demand, not in the suite (minutes of real sandboxes; surefire runs {@code *Test} classes only): {@code pulse
 * bench trace --runtime containerd --windows N} with everything it needs started here, as the worker-daemon tests
 * do: a private containerd, a registry on 127.0.0.1 with the busybox httpd test image (its
 * {@code /cgi-bin/sleep?ms=N} sleeps N ms in the sandbox), CNI networking in namespace {@code rp9dt} on
 * 10.88.219.0/24, worker host ports 40500-40999. Run as root:
 *
 * <pre>
 * ./mvnw -pl cli -am verify -DskipITs -Dtest=BenchTraceContainerdProbe -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.windows=3 -Dbench.functions=10 -Dbench.minutes=600-604 -Dbench.compress=4 -Dbench.seed=2026 \
 *     -Dbench.out=$PWD/bench-out/trace-containerd
 * </pre>
 *
 * The windows bench of the fake runtime ({@link TraceWindowsExperiment}: windows drawn by seed, each as long as
 * {@code bench.minutes}, every policy on each in rotating order after an unmeasured warm-up), on real sandboxes;
 * {@code -Dbench.fake=true} then replays the same windows on the fake runtime ({@code OUT/fake}) for comparison;
 * {@code -Dbench.window=K} runs only the K-th window drawn, {@code -Dbench.repeat=R} each window R times.
 */
class BenchTraceContainerdProbe {

  private static final Path TRACES = io.pulse.bench.trace.SharedTraces.locate().orElse(Path.of("shared/traces"));
  private static final String NAMESPACE = "rp9dt";
  private static final String SUBNET = "10.88.219.0/24";
  private static final int[] PORTS = {40500, 40999};

  @Test
  void traceWindows_onContainerd_dualTrackAgainstKpa() throws Exception {
    ContainerdHarness.assumeEndToEnd("bench trace on containerd");
    String[] minutes = System.getProperty("bench.minutes", "600-604").split("-");
    double compress = Double.parseDouble(System.getProperty("bench.compress", "4"));
    int windows = Integer.getInteger("bench.windows", 3);
    ReplayOptions replay = new ReplayOptions(Integer.getInteger("bench.functions", 10), false,
        Integer.parseInt(minutes[0]), Integer.parseInt(minutes[1]), compress, 1 / compress, 10, 1_000, 0.0625, 16,
        512, Long.getLong("bench.seed", 2026), Integer.getInteger("bench.leadIn", 0));
    TraceWindowsExperiment.Plan plan = new TraceWindowsExperiment.Plan(windows,
        replay.toMinute() - replay.fromMinute(), Integer.getInteger("bench.minInvocations", 60), replay.seed(),
        Integer.getInteger("bench.window", 0), Integer.getInteger("bench.repeat", 1));
    List<String> policies = List.of(System.getProperty("bench.policies", "dual-track,kpa").split(","));
    Path out = Path.of(System.getProperty("bench.out", "bench-out/trace-containerd"));
    Path trace = TRACES.resolve(System.getProperty("bench.trace", "invitro_sampled_2022_cb0077f3"));
    try (ContainerdHarness containerd = ContainerdHarness.start();
        RegistryHarness registry = RegistryHarness.start()) {
      String image = TestImages.pushHttpd(registry.host(), "pulse/trace-httpd", "v1");
      ContainerdOptions options = new ContainerdOptions(containerd.socket(), NAMESPACE, "cni",
          Set.of(registry.host()), Path.of("/usr/lib/cni"), false, RegistryCredentials.NONE).withCni(SUBNET, false);
      String command = "BenchTraceContainerdProbe: pulse bench trace --trace " + trace + " --functions "
          + replay.functions() + " --minutes " + replay.fromMinute() + "-" + replay.toMinute() + " --compress "
          + compress + " --seed " + replay.seed() + " --lead-in-minutes " + replay.leadInMinutes() + " --windows "
          + windows + " --min-invocations "
          + plan.minInvocations() + " --policies " + String.join(",", policies)
          + " --runtime containerd --image " + image + " --containerd-socket " + containerd.socket()
          + " --containerd-namespace " + NAMESPACE + " --network cni --cni-subnet " + SUBNET
          + " --cni-ip-masq false --insecure-registry " + registry.host() + " --worker-ports " + PORTS[0] + "-"
          + PORTS[1];
      JsonObject summary = TraceWindowsExperiment.run(new TraceExperiment.Options(trace, replay, policies,
          "containerd", "0", out, command, 2_500, TraceExperiment.DEFAULT_POOL_START, image),
          plan, new BenchLauncher(options, PORTS), System.out);
      System.out.println(summary.getJsonArray("windows").encodePrettily());
      System.out.println("containerd, against kpa over " + windows + " windows: " + summary.getJsonObject("vsKpa"));
      System.out.println("containerd, failed requests, logged problems and the most cores others used: " + summary.getJsonObject("problems"));
      if (Boolean.getBoolean("bench.fake")) {
        JsonObject fake = TraceWindowsExperiment.run(new TraceExperiment.Options(trace, replay, policies, "fake",
            "lognormal:120:0.3", out.resolve("fake"), command.replace("--runtime containerd", "--runtime fake"),
            2_500), plan, new BenchLauncher(), System.out);
        System.out.println("fake runtime, same windows, against kpa: " + fake.getJsonObject("vsKpa"));
      }
      JsonArray perWindow = summary.getJsonArray("windows");
      assertThat(perWindow).hasSize(windows);
      for (int w = 0; w < windows; w++) {
        JsonObject window = perWindow.getJsonObject(w);
        assertThat(window.getJsonObject("policies").fieldNames()).as("every policy ran window %d", w + 1)
            .containsExactlyInAnyOrderElementsOf(policies);
      }
    }
  }
}
