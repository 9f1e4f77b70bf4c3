package io.pulse.bench.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Pulse component as a child process ({@code pulse control-plane ...}, {@code pulse worker ...}), for experiments
 * that kill processes. Its output goes to a log file; {@link #kill()} is SIGKILL (no shutdown hook runs).
 */
public final class PulseProcess {

  private final String name;
  private final List<String> command;
  private final Path log;
  private @Nullable Process process;

  /**
   * @param launcher how to run the {@code pulse} command in a child JVM (e.g. java, its options, -cp, main class)
   * @param args the subcommand and its options
   * @param log where the child's output goes (replaced at each start)
   */
  public PulseProcess(String name, List<String> launcher, List<String> args, Path log) {
    this.name = name;
    this.command = new ArrayList<>(launcher);
    this.command.addAll(args);
    this.log = log;
  }

  public String name() {
    return name;
  }

  public synchronized void start() {
    try {
      Files.createDirectories(log.getParent());
      // Appended: a process restarted over the same log (failover rounds) keeps what its previous runs said.
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + ")", e);
    }
  }

  /** The process id while it runs; -1 before the first start. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM (its shutdown hooks run: a JFR recording is written), SIGKILL if still there after 30 s. */
  public void stop() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL, then waits for the process to be gone. */
  public void kill() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
