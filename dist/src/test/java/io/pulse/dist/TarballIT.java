package io.pulse.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.cli.run.ControlPlaneCommand;
import io.pulse.cli.run.DataPlaneCommand;
import io.pulse.cli.run.K8sBridgeCommand;
import io.pulse.cli.run.WorkerCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Unpacks {@code pulse-VERSION.tar.gz} into a temporary directory and uses it there, away from the source tree. */
final class TarballIT {

  private static final Pattern COMMENTED_OPTION = Pattern.compile("^#(--\\S.*)$");

  @TempDir
  static Path unpacked;

  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path tarball = Path.of(System.getProperty("pulse.tarball"));
    assertThat(tarball).exists();
    Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", unpacked.toString())
        .redirectErrorStream(true).start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as("tar: %s", out).isZero();
    home = unpacked.resolve("pulse-" + System.getProperty("pulse.version"));
  }

  @Test
  void layout_hasLauncherJarsConfAndReadme() throws IOException {
    assertThat(home.resolve("bin/pulse")).isExecutable();
    assertThat(home.resolve("lib/pulse-cli.jar")).isRegularFile();
    try (var jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()).toList())
          .anyMatch(n -> n.startsWith("pulse-control-plane-"))
          .anyMatch(n -> n.startsWith("pulse-worker-daemon-"))
          .anyMatch(n -> n.startsWith("pulse-data-plane-"))
          .anyMatch(n -> n.startsWith("pulse-k8s-bridge-"));
    }
    for (String conf : List.of("control-plane", "data-plane", "worker", "k8s-bridge")) {
      assertThat(home.resolve("conf/" + conf + ".conf")).isRegularFile();
    }
    assertThat(home.resolve("README")).content().contains("Pulse " + System.getProperty("pulse.version"));
  }

  @Test
  void version_runsWithOnlyAJdk() throws Exception {
    // A bare environment: no PATH entries beyond the system's, no Maven, no source tree next to it.
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/pulse").toString(), "--version")
        .directory(unpacked.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"),
        "HOME", unpacked.toString()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("bin/pulse --version: %s", out).isZero();
    assertThat(out).startsWith("pulse ").doesNotContain("building");
  }

  /** Every option a conf file names, active or commented out as a default, is one its command accepts. */
  @Test
  void confFiles_nameOnlyOptionsTheirCommandsAccept() throws IOException {
    Map<String, Supplier<Object>> commands = Map.of(
        "control-plane", ControlPlaneCommand::new, "data-plane", DataPlaneCommand::new,
        "worker", WorkerCommand::new, "k8s-bridge", K8sBridgeCommand::new);
    for (var entry : commands.entrySet()) {
      Path conf = home.resolve("conf/" + entry.getKey() + ".conf");
      // As shipped: picocli reads it as an argument file (unknown options would throw).
      new CommandLine(entry.getValue().get()).parseArgs("@" + conf);
      // Every commented default switched on at once.
      Path allOn = unpacked.resolve(entry.getKey() + "-all.conf");
      Files.writeString(allOn, Files.readAllLines(conf).stream()
          .map(line -> COMMENTED_OPTION.matcher(line).replaceFirst("$1"))
          .collect(Collectors.joining("\n")));
      new CommandLine(entry.getValue().get()).parseArgs("@" + allOn);
    }
  }
}
