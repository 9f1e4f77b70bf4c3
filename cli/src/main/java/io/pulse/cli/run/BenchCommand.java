package io.pulse.cli.run;

import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.experiment.ColdStartExperiment;
import io.pulse.bench.experiment.ContainerdColdStartExperiment;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.sandbox.PrivateFiles;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.bench.experiment.ScaleExperiment;
import io.pulse.bench.experiment.TraceExperiment;
import io.pulse.bench.experiment.TraceWindowsExperiment;
import io.pulse.bench.experiment.WarmExperiment;
import io.pulse.bench.schedule.ReplayOptions;
import io.pulse.cli.PulseCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse bench EXPERIMENT}: the benchmark harness (module bench/) over an all-in-one or a running cluster. */
@Command(name = "bench",
    description = "Benchmarks: trace replay and policy comparison, cold-start sweep, control-plane throughput, "
        + "warm-path overhead. Each writes summary.json, report.html (and invocations.csv) to --out.",
    subcommands = {BenchCommand.Trace.class, BenchCommand.ColdStart.class, BenchCommand.Scale.class,
        BenchCommand.Warm.class, BenchCommand.Async.class, BenchFailoverCommand.class})
public final class BenchCommand {

  /** Options every experiment shares. */
  static final class Common {
    @Option(names = "--out", required = true, description = "Directory for summary.json, report.html, ...")
    Path out;

    @Option(names = "--runtime", defaultValue = "fake", description = "Runtime of the started Pulse: fake, "
        + "process or containerd (default ${DEFAULT-VALUE})")
    String runtime;

    @Option(names = "--api", description = "Control-plane REST API of a running cluster (with --gateway); "
        + "default: start a fresh all-in-one Pulse per run")
    @Nullable String api;

    @Option(names = "--gateway", description = "Gateway of a running cluster (with --api)")
    @Nullable String gateway;

    @Option(names = "--fake-cold-start-ms", defaultValue = "lognormal:120:0.3",
        description = "Fake runtime's cold-start distribution (default ${DEFAULT-VALUE})")
    String coldStart;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--verbose", description = "Show Pulse's own logs")
    boolean verbose;

    PulseLauncher launcher() {
      if ((api == null) != (gateway == null)) {
        throw new IllegalArgumentException("--api and --gateway go together");
      }
      if (!verbose) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
      }
      return api == null ? new BenchLauncher() : PulseLauncher.existing(api, gateway);
    }
  }

  static String commandLine(String experiment, CommandSpec spec) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    int at = args.indexOf(experiment);
    return "pulse bench " + experiment + " " + String.join(" ", at < 0 ? args : args.subList(at + 1, args.size()));
  }

  @Command(name = "trace",
      description = "Replay a trace (loader or in-vitro format), once per policy, each on a fresh Pulse")
  static final class Trace implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(names = "--trace", required = true, description = "Trace directory (loader or in-vitro format)")
    Path trace;

    @Option(names = "--functions", defaultValue = "20", description = "Functions to replay (default ${DEFAULT-VALUE})")
    int functions;

    @Option(names = "--sample", description = "A seeded sample of the functions instead of the first N")
    boolean sample;

    @Option(names = "--minutes", defaultValue = "1-11", description = "Trace minutes A-B (B excluded; default "
        + "${DEFAULT-VALUE})")
    String minutes;

    @Option(names = "--compress", defaultValue = "1", description = "Time compression (a minute lasts 60/X s)")
    double compress;

    @Option(names = "--duration-scale", description = "Factor on execution times (default 1/compress)")
    @Nullable Double durationScale;

    @Option(names = "--min-duration-ms", defaultValue = "10") int minDurationMs;

    @Option(names = "--max-duration-ms", defaultValue = "1000") int maxDurationMs;

    @Option(names = "--memory-scale", defaultValue = "0.0625", description = "Factor on memory (default "
        + "${DEFAULT-VALUE}: 1.4 GB becomes 90 MiB)")
    double memoryScale;

    @Option(names = "--min-memory-mib", defaultValue = "16") int minMemoryMiB;

    @Option(names = "--max-memory-mib", defaultValue = "512") int maxMemoryMiB;

    @Option(names = "--policies", defaultValue = "dual-track,kpa", split = ",",
        description = "Policies to compare (default ${DEFAULT-VALUE}); POLICY+ekaMS: every function with "
            + "scaling.emergencyKeepAliveMs MS")
    List<String> policies;

    @Option(names = "--settle-ms", defaultValue = "2500", description = "Wait for the last usage reports")
    long settleMillis;

    @Option(names = "--windows", description = "Draw this many windows (minute ranges of the length of --minutes, "
        + "and seeded samples of --functions functions) from the trace by --seed and run every policy on each, "
        + "in rotating order; reports each policy against kpa per window and over all windows")
    @Nullable Integer windows;

    @Option(names = "--window", defaultValue = "0", description = "--windows: run only the K-th of the windows "
        + "drawn (the same draw as with all of them), to look at one window again; 0: all (default)")
    int onlyWindow;

    @Option(names = "--repeat", defaultValue = "1", description = "--windows: run each window this many times, the "
        + "policies' order rotating on, to see the spread between runs (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--lead-in-minutes", defaultValue = "0", description = "Replay this many trace minutes "
        + "before each window first, unmeasured (slowdowns and cost count the window only), so the window starts "
        + "with the instances its recent past left rather than with every function at zero; 0..60 (default "
        + "${DEFAULT-VALUE}: none)")
    int leadInMinutes;

    @Option(names = "--min-invocations", defaultValue = "100", description = "--windows: a window with fewer "
        + "calls is drawn again (default ${DEFAULT-VALUE})")
    int minInvocations;

    @Option(names = "--prewarm", defaultValue = "0", description = "Also run each policy with sandbox pools: every "
        + "function with scaling.prewarm N (reported as POLICY+prewarmN, against the policy without; a policy "
        + "written so in --policies runs with pools too); auto: every function with scaling.prewarm \"auto\", the "
        + "leader sizing the pools (POLICY+prewarmauto). 0: no pools (default)")
    String prewarm;

    @Mixin ContainerdFlags containerd = new ContainerdFlags();

    @Option(names = "--image", description = "--runtime containerd: the functions' image, serving "
        + "/cgi-bin/sleep?ms=N on port 8080 (answers after sleeping N ms; worker-daemon's test image has it), "
        + "with --network cni")
    @Nullable String image;

    @Option(names = "--worker-ports", description = "--runtime containerd: the worker's sandbox host ports, A-B")
    @Nullable String workerPorts;

    @Option(names = "--fake-pool-start-ms", defaultValue = TraceExperiment.DEFAULT_POOL_START,
        description = "Fake runtime with pools: a pool hit's claim-to-ready time (a member's creation takes "
            + "--fake-cold-start-ms; default ${DEFAULT-VALUE}, from containerd's measured pool hits)")
    String poolStart;

    @Override
    public Integer call() {
      if (windows == null && (onlyWindow != 0 || repeats != 1)) {
        throw new IllegalArgumentException("--window and --repeat choose among drawn windows: they need --windows N");
      }
      String[] range = minutes.split("-");
      if (range.length != 2) {
        throw new IllegalArgumentException("--minutes must be A-B, was '" + minutes + "'");
      }
      ReplayOptions replay = new ReplayOptions(functions, sample, Integer.parseInt(range[0].trim()),
          Integer.parseInt(range[1].trim()), compress, durationScale == null ? 1 / compress : durationScale,
          minDurationMs, maxDurationMs, memoryScale, minMemoryMiB, maxMemoryMiB, common.seed, leadInMinutes);
      PrintStream out = PulseCommand.out(spec);
      if (common.runtime.equals("containerd") && image == null) {
        throw new IllegalArgumentException("--runtime containerd needs --image (serving /cgi-bin/sleep?ms=N on 8080)");
      }
      TraceExperiment.Options options = new TraceExperiment.Options(trace, replay,
          io.pulse.bench.experiment.PolicyVariant.withPools(policies, prewarm), common.runtime, common.coldStart,
          common.out, commandLine("trace", spec), settleMillis, poolStart,
          common.runtime.equals("containerd") ? image : null);
      PulseLauncher launcher = common.launcher();
      if (common.api == null && common.runtime.equals("containerd")) {
        launcher = new BenchLauncher(containerd.options(), ports(workerPorts));
      }
      if (windows != null) {
        var summary = TraceWindowsExperiment.run(options, new TraceWindowsExperiment.Plan(windows,
            replay.toMinute() - replay.fromMinute(), minInvocations, common.seed, onlyWindow, repeats), launcher, out);
        out.println(summary.getJsonArray("windows").encodePrettily());
        int runs = summary.getJsonArray("windows").size();
        out.println("against kpa over " + runs + " windows: " + summary.getJsonObject("vsKpa").encode());
        out.println("failed requests, logged problems and the most cores others used, over " + runs + " windows: "
            + summary.getJsonObject("problems").encode());
        if (!summary.getJsonObject("variantEffect").isEmpty()) {
          out.println("variants against their plain policy over " + runs + " windows: "
              + summary.getJsonObject("variantEffect").encode());
        }
        out.println("report: " + common.out.resolve("report.html"));
        return 0;
      }
      var summary = TraceExperiment.run(options, launcher, out);
      out.println(summary.getJsonObject("policies").encodePrettily());
      if (summary.containsKey("comparison")) {
        out.println("comparison: " + summary.getJsonObject("comparison").encode());
      }
      out.println("report: " + common.out.resolve("report.html"));
      return 0;
    }
  }

  private static int @Nullable [] ports(@Nullable String range) {
    if (range == null) {
      return null;
    }
    String[] parts = range.split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--worker-ports must be A-B, was '" + range + "'");
    }
    return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
  }

  @Command(name = "coldstart",
      description = "Sweep cold starts per second; compare with the runtime's own create+start+ready")
  static final class ColdStart implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(names = "--rates", defaultValue = "1,5,10,20", split = ",", description = "Cold starts per second")
    List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "10", description = "Duration of each rate")
    int seconds;

    @Option(names = "--policy", defaultValue = "kpa", description = "kpa: cold starts through the control plane "
        + "(standard track); emergency-only: through the expedited track")
    String policy;

    @Option(names = "--raw-samples", defaultValue = "30", description = "Direct sandbox creations measured")
    int rawSamples;

    @Mixin ContainerdFlags containerd = new ContainerdFlags();

    @Option(names = "--image", description = "--runtime containerd: the function's image (an OCI reference serving "
        + "HTTP on $PORT); cold starts through Pulse are compared with containerd driven directly and with runc and "
        + "crun running the image's rootfs (the raw floor)")
    @Nullable String image;

    @Option(names = "--samples", defaultValue = "20", description = "--runtime containerd: cold starts measured on "
        + "each side (default ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--host-ports", defaultValue = "20000-30999", description = "--runtime containerd: host ports "
        + "the bench's sandboxes may take, START-END: the first half for the Pulse worker, the second for the "
        + "direct runtime (default ${DEFAULT-VALUE})")
    String hostPorts;

    @Option(names = "--direct-cni-subnet", defaultValue = "10.88.252.0/24", description = "--runtime containerd: "
        + "CNI subnet of the direct runtime's sandboxes (--cni-subnet is the Pulse worker's; default ${DEFAULT-VALUE})")
    String directCniSubnet;

    @Override
    public Integer call() {
      PrintStream out = PulseCommand.out(spec);
      if (common.runtime.equals("containerd")) {
        return containerd(out);
      }
      var summary = ColdStartExperiment.run(new ColdStartExperiment.Options(rates, seconds, policy,
          common.runtime, common.coldStart, common.seed, rawSamples, common.out, commandLine("coldstart", spec)),
          common.launcher(), out);
      out.println(summary.encodePrettily());
      return 0;
    }

    /** Pulse on containerd against containerd driven directly (its own namespace, ports and CNI subnet). */
    private int containerd(PrintStream out) {
      if (image == null) {
        throw new IllegalArgumentException("--runtime containerd needs --image (an OCI reference the worker can pull)");
      }
      PulseLauncher launcher = common.launcher();
      ContainerdOptions options = containerd.options();
      HostPortBlock ports = HostPortBlock.parse("--host-ports", hostPorts);
      Path directDir;
      try {
        directDir = Files.createTempDirectory("pulse-bench-direct-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ContainerdSettings direct = options.settings(io.pulse.worker.WorkerConfig.defaults().withDataDir(directDir)
          .withPortRange(ports.secondHalfStart(), ports.end()).withStopGraceMs(200))
          .withNamespace(options.namespace() + "-direct").withCniSubnet(directCniSubnet);
      try {
        var summary = ContainerdColdStartExperiment.run(new ContainerdColdStartExperiment.Options(image, direct,
            policy, samples, common.out, commandLine("coldstart", spec), options.pool().members() > 0,
            common.api == null ? options.namespace() : null),
            common.api == null ? new BenchLauncher(options, ports.start(), ports.secondHalfStart() - 1) : launcher,
            out);
        out.println(summary.encodePrettily());
        return 0;
      } finally {
        deleteDirectDir(directDir, out);
      }
    }

    /** The direct runtime's sandbox files: its runtime is closed by now, so nothing in there is still used. */
    private static void deleteDirectDir(Path dir, PrintStream out) {
      try {
        PrivateFiles.deleteTree(dir);
      } catch (IOException e) {
        out.println("could not remove the direct runtime's directory " + dir + ": " + e);
      }
    }
  }

  @Command(name = "scale",
      description = "Control-plane throughput: sandboxes/s with simulated workers (fake, in-process)")
  static final class Scale implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(names = "--workers", defaultValue = "100", description = "Simulated worker daemons")
    int workers;

    @Option(names = "--functions", defaultValue = "50", description = "Functions deployed at once")
    int functions;

    @Option(names = "--instances", defaultValue = "100", description = "Instances per function (minScale)")
    int instances;

    @Option(names = "--rate", defaultValue = "0",
        description = "Steady mode: creations per second, asked for by registering fresh functions open-loop "
            + "(--functions is then ignored); 0: one burst")
    double rate;

    @Option(names = "--seconds", defaultValue = "10", description = "Steady mode: how long the rate is kept")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "0",
        description = "Steady mode: the rate is kept this long first, and those sandboxes are left out of the "
            + "latency figures (reported apart as warmupSchedulingLatencyP99Ms)")
    double warmupSeconds;

    @Override
    public Integer call() {
      PrintStream out = PulseCommand.out(spec);
      if (rate < 0 || seconds <= 0 || warmupSeconds < 0) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--rate must be >= 0, --seconds > 0 and --warmup-seconds >= 0, were " + rate + ", " + seconds + " and "
                + warmupSeconds);
      }
      var summary = ScaleExperiment.run(new ScaleExperiment.Options(workers, functions, instances, rate, seconds,
          warmupSeconds,
          common.out, commandLine("scale", spec)), common.launcher(), out);
      out.println(summary.encodePrettily());
      return 0;
    }
  }

  @Command(name = "warm",
      description = "Warm path: the same load straight to one instance and through the data plane, alternating")
  static final class Warm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(names = "--connections", defaultValue = "16") int connections;

    @Option(names = "--seconds", defaultValue = "20", description = "Total measured time (both targets)")
    int seconds;

    @Option(names = "--rounds", defaultValue = "4", description = "Alternations direct/haproxy/pulse")
    int rounds;

    @Option(names = "--warmup-seconds", defaultValue = "30",
        description = "Unmeasured load through Pulse first (the JIT compiles the gateway meanwhile)")
    int warmupSeconds;

    @Option(names = "--no-haproxy", description = "Leave HAProxy out even when installed")
    boolean noHaproxy;

    @Option(names = "--in-process-gateway",
        description = "Use the gateway of the bench's own Pulse instead of a data-plane process (CPU not measured)")
    boolean inProcessGateway;

    @Option(names = "--close", description = "The instance closes every connection after its answer without saying "
        + "so, as busybox httpd does (fake runtime); reports the sockets left in TIME_WAIT per leg")
    boolean close;

    @Option(names = "--forwarding", defaultValue = "raw",
        description = "The data-plane process's --forwarding: raw (the data plane's default) or vertx "
            + "(default: ${DEFAULT-VALUE})")
    String forwarding;

    @Option(names = "--transport", defaultValue = "auto",
        description = "The data-plane process's --transport: auto (the data plane's default: io_uring where the "
            + "kernel offers it, else epoll), epoll or io_uring (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--event-loops", defaultValue = "0",
        description = "The data-plane process's --event-loops (default: 0, the data plane's own default)")
    int eventLoops;

    @Option(names = "--haproxy-threads", defaultValue = "0",
        description = "HAProxy's nbthread (default: 0, HAProxy's own default: one thread per core)")
    int haproxyThreads;

    @Override
    public Integer call() {
      PrintStream out = PulseCommand.out(spec);
      var summary = WarmExperiment.run(new WarmExperiment.Options(connections, seconds, rounds, warmupSeconds,
          common.runtime, inProcessGateway ? List.of() : BenchFailoverCommand.childLauncher(), !noHaproxy,
          common.out, commandLine("warm", spec), close, forwarding, transport, eventLoops, haproxyThreads),
          common.launcher(), out);
      out.println(summary.encodePrettily());
      return 0;
    }
  }

  @Command(name = "async",
      description = "Async invocations: accepted/s and completed/s against a function of a known duration, in one run")
  static final class Async implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(names = "--invocations", defaultValue = "2000") int invocations;

    @Option(names = "--connections", defaultValue = "16", description = "Closed loops sending invocations")
    int connections;

    @Option(names = "--function-ms", defaultValue = "100", description = "What one invocation runs in the function")
    int functionMs;

    @Option(names = "--concurrency", defaultValue = "20",
        description = "The function's async concurrency (and instances, each taking one at a time)")
    int concurrency;

    @Override
    public Integer call() {
      PrintStream out = PulseCommand.out(spec);
      var summary = io.pulse.bench.experiment.AsyncExperiment.run(new io.pulse.bench.experiment.AsyncExperiment
          .Options(invocations, connections, functionMs, concurrency, common.runtime, common.out,
          commandLine("async", spec)), common.launcher(), out);
      out.println(summary.encodePrettily());
      return 0;
    }
  }
}
