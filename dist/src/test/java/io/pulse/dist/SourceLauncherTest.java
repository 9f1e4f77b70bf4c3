package io.pulse.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source tree's {@code ./pulse} rebuilds when a source changed, but never under a pulse still running from the
 * same build. Runs a copy of the script in a scratch tree whose Maven wrapper and JDK are stand-ins that record what
 * they were asked to do (named as such: the script's own logic is what is under test, not Maven's or Java's).
 */
final class SourceLauncherTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path tree;

  private Path jdk;
  private Process holder;

  @BeforeEach
  void scratchTree() throws IOException {
    assumeThat(Path.of("/usr/bin/flock")).as("flock (util-linux) runs the launcher's locks").exists();
    Path script = Path.of(System.getProperty("user.dir")).resolveSibling("pulse");
    Files.copy(script, tree.resolve("pulse"));
    executable(tree.resolve("mvnw"), "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/maven-ran\"\n");
    Files.createDirectories(tree.resolve("cli/target/lib"));
    Files.writeString(tree.resolve("cli/target/pulse-cli.jar"), "jar");
    jdk = tree.resolve("jdk");
    executable(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
    // Answers the version probe; otherwise says it ran, and waits while the file `hold` exists (a long-running pulse).
    executable(jdk.resolve("bin/java"), """
        #!/bin/sh
        case "$*" in *-XshowSettings*) echo '    java.specification.version = 25' >&2; exit 0;; esac
        echo "$@" >> "%1$s/java-ran"
        while [ -f "%1$s/hold" ]; do sleep 0.05; done
        """.formatted(tree));
    Path source = tree.resolve("core/src/main/java/A.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class A {}");
    Path stamp = tree.resolve("cli/target/.pulse-built");
    Files.writeString(stamp, "");
    Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().minusSeconds(3_600)));
  }

  @AfterEach
  void release() throws IOException {
    Files.deleteIfExists(tree.resolve("hold"));
    if (holder != null) {
      holder.destroyForcibly();
    }
  }

  @Test
  void changedSources_areBuiltBeforeTheRun() throws Exception {
    Result result = launch(Map.of());

    assertThat(result.exit()).as(result.stderr()).isZero();
    assertThat(tree.resolve("maven-ran")).content().contains("package");
    assertThat(tree.resolve("java-ran")).content().contains("io.pulse.cli.PulseCommand --help");
  }

  @Test
  void changedSources_whileAPulseFromThisBuildRuns_areNotBuiltUnderIt() throws Exception {
    holdRunLockShared();

    Result result = launch(Map.of());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.stderr()).contains("still running").contains("PULSE_NO_BUILD=1");
    assertThat(tree.resolve("maven-ran")).doesNotExist();
    assertThat(tree.resolve("java-ran")).doesNotExist();
  }

  @Test
  void noBuild_runsTheExistingBuildBesideARunningPulse() throws Exception {
    holdRunLockShared();

    Result result = launch(Map.of("PULSE_NO_BUILD", "1"));

    assertThat(result.exit()).as(result.stderr()).isZero();
    assertThat(tree.resolve("maven-ran")).doesNotExist();
    assertThat(tree.resolve("java-ran")).exists();
  }

  @Test
  void aRunningPulse_holdsTheRunLockUntilItEnds() throws Exception {
    Files.setLastModifiedTime(tree.resolve("cli/target/.pulse-built"), FileTime.from(Instant.now().plusSeconds(60)));
    Files.writeString(tree.resolve("hold"), "");
    Process pulse = start(Map.of());
    awaitFile(tree.resolve("java-ran"));

    assertThat(runLockFree()).as("the run lock while the JVM runs").isFalse();

    Files.delete(tree.resolve("hold"));
    assertThat(pulse.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(runLockFree()).as("the run lock once it ended").isTrue();
  }

  private record Result(int exit, String stderr) {}

  private Result launch(Map<String, String> env) throws Exception {
    Process process = start(env);
    assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the launcher ended").isTrue();
    return new Result(process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private Process start(Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("bash", tree.resolve("pulse").toString(), "--help")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("JAVA_HOME", jdk.toString());
    builder.environment().remove("PULSE_NO_BUILD");
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Stands for a pulse started earlier from this build: the shared lock such a run holds for its life. */
  private void holdRunLockShared() throws Exception {
    holder = new ProcessBuilder("flock", "-s", runLock(), "sleep", "600").start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (runLockFree()) {
      assertThat(System.nanoTime()).as("the holder took the run lock").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private boolean runLockFree() throws Exception {
    Process probe = new ProcessBuilder("flock", "-n", "-x", runLock(), "true").start();
    assertThat(probe.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return probe.exitValue() == 0;
  }

  private String runLock() {
    return tree.resolve("cli/target/.pulse-run.lock").toString();
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("%s appeared", file).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void executable(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
