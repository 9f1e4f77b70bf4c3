package io.pulse.worker.sandbox.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the process runtime keeps an instance's processes together, so that deleting the instance (or stopping the
 * worker) kills every one of them, double-forked daemons included. Chosen once per runtime by {@link #probe()}:
 *
 * <ul>
 *   <li>{@code pid-namespace}: each instance in a PID namespace of its own ({@code unshare --pid --fork --kill-child}
 *       as root, with {@code --user --map-current-user} otherwise). A shell is the namespace's init and runs the
 *       command as pid 2, so the command keeps ordinary signal semantics (an init ignores signals it has no handler
 *       for) and its exit status, 128 + N for signal N, comes back through the shell. Whatever the command forks
 *       stays in the namespace, orphans are re-parented to that init, and when the init ends (the command exited, or
 *       the {@code unshare} process was killed) the kernel kills everything left in it.
 *   <li>{@code process-tree}: no namespace available (no util-linux, or unprivileged user namespaces forbidden). The
 *       runtime kills the tree it sees plus every process whose environment still carries the instance's
 *       {@code PULSE_INSTANCE_ID}: a daemon that double-forks and clears its environment escapes.
 * </ul>
 *
 * <p>Either way, {@code setpriv --pdeathsig KILL} (when present) kills the top process when the worker's JVM dies,
 * {@code kill -9} included; in a namespace that takes the whole instance with it.
 *
 * @param name what the log and the docs call it
 * @param prefix put before every command
 * @param namespaced the instance is in its own PID namespace: killing {@code prefix}'s process kills all of it
 * @param diesWithWorker the instance is killed when the worker's JVM dies, however it dies
 */
record Containment(String name, List<String> prefix, boolean namespaced, boolean diesWithWorker) {

  private static final Logger LOG = LoggerFactory.getLogger(Containment.class);
  private static final List<String> PARENT_DEATH_SIGNAL = List.of("setpriv", "--pdeathsig", "KILL");
  /** Root, or CAP_SYS_ADMIN; then an unprivileged user namespace that maps the user to itself. */
  private static final List<List<String>> NAMESPACES = List.of(
      List.of("unshare", "--pid", "--fork", "--kill-child"),
      List.of("unshare", "--user", "--map-current-user", "--pid", "--fork", "--kill-child"));
  /** The namespace's init: runs the command as a child (not exec: see above) and exits with its status. */
  private static final List<String> INIT = List.of("/bin/sh", "-c", "\"$@\"; exit $?", "pulse-instance");
  private static final long PROBE_TIMEOUT_MS = 10_000;

  /** Without a namespace or a parent-death signal: what a machine without util-linux gets. */
  static final Containment PROCESS_TREE = new Containment("process-tree", List.of(), false, false);

  Containment {
    prefix = List.copyOf(prefix);
  }

  List<String> wrap(List<String> argv) {
    return Stream.concat(prefix.stream(), argv.stream()).toList();
  }

  /** Tries the candidates on this machine (runs {@code true} under each; blocks: call off the event loop). */
  static Containment probe() {
    return choose(Containment::run);
  }

  /**
   * The strongest containment whose trial command succeeds, logged.
   *
   * @param attempt runs a command and answers null when it exited with 0, else why not
   */
  static Containment choose(Function<List<String>, @Nullable String> attempt) {
    @Nullable String noPdeathsig = attempt.apply(concat(PARENT_DEATH_SIGNAL, List.of("true")));
    List<String> pdeathsig = noPdeathsig == null ? PARENT_DEATH_SIGNAL : List.of();
    List<String> failures = new ArrayList<>();
    for (List<String> namespace : NAMESPACES) {
      List<String> prefix = concat(pdeathsig, concat(namespace, INIT));
      @Nullable String failure = attempt.apply(concat(prefix, List.of("true")));
      if (failure == null) {
        Containment chosen = new Containment("pid-namespace", prefix, true, noPdeathsig == null);
        LOG.atInfo().setMessage("process runtime: every instance runs in its own PID namespace")
            .addKeyValue("containment", chosen.name()).addKeyValue("command", String.join(" ", namespace))
            .addKeyValue("diesWithWorker", chosen.diesWithWorker()).log();
        warnIfMortal(chosen, noPdeathsig);
        return chosen;
      }
      failures.add(String.join(" ", namespace) + ": " + failure);
    }
    Containment fallback = new Containment(PROCESS_TREE.name(), pdeathsig, false, false);
    LOG.atWarn().setMessage("process runtime: no PID namespace available; deleting an instance kills its process "
            + "tree and the processes carrying its PULSE_INSTANCE_ID, a daemon that clears its environment survives")
        .addKeyValue("containment", fallback.name()).addKeyValue("tried", oneLine(String.join("; ", failures)))
        .log();
    warnIfMortal(fallback, noPdeathsig);
    return fallback;
  }

  private static void warnIfMortal(Containment chosen, @Nullable String noPdeathsig) {
    if (!chosen.diesWithWorker()) {
      LOG.atWarn().setMessage("process runtime: instances outlive a worker killed with SIGKILL until its next start "
              + "cleans them up").addKeyValue("containment", chosen.name())
          .addKeyValue("setpriv", noPdeathsig == null ? "ok" : oneLine(noPdeathsig)).log();
    }
  }

  private static @Nullable String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .start();
      if (!process.waitFor(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return "no answer within " + PROBE_TIMEOUT_MS + " ms";
      }
      // A failing trial prints one line or two, far below what the pipe holds.
      byte[] output = process.getInputStream().readNBytes(4096);
      return process.exitValue() == 0 ? null
          : "exit status " + process.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  private static String oneLine(String text) {
    return text.replace("\n", "\\n");
  }
}
