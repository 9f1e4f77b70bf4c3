package io.pulse.cli.run;

import io.pulse.bench.experiment.FailoverExperiment;
import io.pulse.cli.PulseCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse bench failover}: kills the control-plane leader of a 3-replica cluster (every component a child
 * {@code pulse} process of this JVM's build) and measures the failover. Starts its own cluster; no --api/--gateway.
 */
@Command(name = "failover",
    description = "Control-plane failover: kill -9 the leader of 3 replicas N times under warm traffic; time to a "
        + "new leader, to its first instance, warm failures (p50/max)")
final class BenchFailoverCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, description = "Directory for summary.json, report.html and logs/")
  Path out;

  @Option(names = "--kills", defaultValue = "10", description = "Leader kills (default ${DEFAULT-VALUE})")
  int kills;

  @Option(names = "--background-load", defaultValue = "0", description = "Closed-loop clients calling the warm "
      + "function beside the two measured ones, to keep the cores busy during the failovers (default "
      + "${DEFAULT-VALUE})")
  int backgroundLoad;

  /**
   * How to run {@code pulse} in a child JVM: this JVM's java and class path, and the options in
   * {@code $PULSE_CHILD_JAVA_OPTS} (split at spaces; e.g. a JFR recording of the bench's data-plane process).
   */
  static List<String> childLauncher() {
    List<String> launcher = new java.util.ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-Xmx384m"));
    String extra = System.getenv("PULSE_CHILD_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      launcher.addAll(List.of(extra.strip().split("\\s+")));
    }
    launcher.addAll(List.of("-cp", System.getProperty("java.class.path"), PulseCommand.class.getName()));
    return List.copyOf(launcher);
  }

  @Override
  public Integer call() {
    List<String> launcher = childLauncher();
    PrintStream console = PulseCommand.out(spec);
    var summary = FailoverExperiment.run(new FailoverExperiment.Options(kills, launcher, out,
        BenchCommand.commandLine("failover", spec), backgroundLoad), console);
    console.println(summary.encodePrettily());
    console.println("report: " + out.resolve("report.html"));
    return 0;
  }
}
