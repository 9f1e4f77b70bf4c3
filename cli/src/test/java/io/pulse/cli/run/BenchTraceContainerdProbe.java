package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.experiment.TraceExperiment;
import io.pulse.bench.schedule.ReplayOptions;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On demand, not in the suite (minutes of real sandboxes; surefire runs {@code *Test} classes only): {@code pulse
 * bench trace --runtime containerd} with everything it needs started here, as the worker-daemon tests do: a private
 * containerd, a registry on 127.0.0.1 with the busybox httpd test image (its {@code /cgi-bin/sleep?ms=N} sleeps N ms
 * in the sandbox), CNI networking in namespace {@code rp7} on 10.88.209.0/24, worker host ports 34000-34499. Run as
 * root:
 *
 * <pre>
 * ./mvnw -pl cli -am verify -Dtest=BenchTraceContainerdProbe -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.functions=10 -Dbench.minutes=600-604 -Dbench.compress=4 -Dbench.out=$PWD/bench-out/trace-containerd
 * </pre>
 *
 * The same replay as the fake runtime's (the same schedule for the same options), on real sandboxes, after an
 * unmeasured minute of it; then the same schedule on the fake runtime ({@code OUT/fake}) for comparison.
 */
class BenchTraceContainerdProbe {

  private static final Path TRACES = io.pulse.bench.trace.SharedTraces.locate().orElse(Path.of("shared/traces"));

  @Test
  void traceReplay_onContainerd_dualTrackAgainstKpa() throws Exception {
    ContainerdHarness.assumeEndToEnd("bench trace on containerd");
    String[] minutes = System.getProperty("bench.minutes", "600-604").split("-");
    double compress = Double.parseDouble(System.getProperty("bench.compress", "4"));
    ReplayOptions replay = new ReplayOptions(Integer.getInteger("bench.functions", 10), false,
        Integer.parseInt(minutes[0]), Integer.parseInt(minutes[1]), compress, 1 / compress, 10, 1_000, 0.0625, 16,
        512, Long.getLong("bench.seed", 42));
    List<String> policies = List.of(System.getProperty("bench.policies", "dual-track,kpa").split(","));
    Path out = Path.of(System.getProperty("bench.out", "bench-out/trace-containerd"));
    try (ContainerdHarness containerd = ContainerdHarness.start();
        RegistryHarness registry = RegistryHarness.start()) {
      String image = TestImages.pushHttpd(registry.host(), "pulse/trace-httpd", "v1");
      ContainerdOptions options = new ContainerdOptions(containerd.socket(), "rp7", "cni", Set.of(registry.host()),
          Path.of("/usr/lib/cni"), false, RegistryCredentials.NONE).withCni("10.88.209.0/24", false);
      String command = "BenchTraceContainerdProbe: pulse bench trace --trace " + TRACES.resolve(
          System.getProperty("bench.trace", "invitro_sampled_2022_cb0077f3")) + " --functions " + replay.functions()
          + " --minutes " + replay.fromMinute() + "-" + replay.toMinute() + " --compress " + compress
          + " --seed " + replay.seed() + " --policies " + String.join(",", policies)
          + " --runtime containerd --image " + image + " --containerd-socket " + containerd.socket()
          + " --containerd-namespace rp7 --network cni --cni-subnet 10.88.209.0/24 --cni-ip-masq false"
          + " --insecure-registry " + registry.host() + " --worker-ports 34000-34499";
      Path trace = TRACES.resolve(System.getProperty("bench.trace", "invitro_sampled_2022_cb0077f3"));
      BenchLauncher launcher = new BenchLauncher(options, new int[] {34000, 34499});
      // Unmeasured first: the image's pull and the JIT's first compilations would count against the first policy.
      ReplayOptions warmUp = new ReplayOptions(replay.functions(), false, replay.fromMinute(),
          replay.fromMinute() + 1, compress, 1 / compress, 10, 1_000, 0.0625, 16, 512, replay.seed());
      TraceExperiment.run(new TraceExperiment.Options(trace, warmUp, policies, "containerd", "0",
          out.resolve("warm-up"), "warm-up", 1_000, TraceExperiment.DEFAULT_POOL_START, image), launcher, System.out);
      JsonObject summary = TraceExperiment.run(new TraceExperiment.Options(trace, replay, policies, "containerd", "0",
          out, command, 2_500, TraceExperiment.DEFAULT_POOL_START, image), launcher, System.out);
      // The same schedule on the fake runtime, right after, for the direction on both.
      JsonObject fake = TraceExperiment.run(new TraceExperiment.Options(trace, replay, policies, "fake",
          "lognormal:120:0.3", out.resolve("fake"), command.replace("--runtime containerd", "--runtime fake"),
          2_500), new BenchLauncher(), System.out);
      System.out.println("fake runtime, same schedule: " + fake.getJsonObject("policies").encodePrettily());
      System.out.println("fake comparison: " + fake.getJsonObject("comparison"));
      System.out.println(summary.getJsonObject("policies").encodePrettily());
      System.out.println("comparison: " + summary.getJsonObject("comparison"));
      for (String policy : policies) {
        assertThat(summary.getJsonObject("policies").getJsonObject(policy).getInteger("invocations"))
            .isEqualTo(summary.getInteger("invocationsScheduled"));
      }
    }
  }
}
