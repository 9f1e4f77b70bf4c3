package io.pulse.worker.sandbox.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The processes whose environment carries {@code PULSE_INSTANCE_ID=<id>}: what the {@code process-tree} containment
 * kills besides the visible tree, so that a daemon that double-forked (re-parented to PID 1, maybe in a session of its
 * own) still goes with its instance. Reads {@code /proc}: blocking, call off the event loop.
 */
final class MarkedProcesses {

  private static final Path PROC = Path.of("/proc");

  private MarkedProcesses() {}

  static Set<ProcessHandle> of(String instanceId) {
    byte[] marker = (ProcessSandboxRuntime.INSTANCE_ENV + "=" + instanceId + "\0").getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    List<Path> entries;
    try (Stream<Path> list = Files.list(PROC)) {
      entries = list.filter(p -> isPid(p.getFileName().toString())).toList();
    } catch (IOException e) {
      return Set.of();
    }
    Set<ProcessHandle> marked = new LinkedHashSet<>();
    for (Path entry : entries) {
      long pid = Long.parseLong(entry.getFileName().toString());
      if (pid != self && carries(entry.resolve("environ"), marker)) {
        ProcessHandle.of(pid).ifPresent(marked::add);
      }
    }
    return marked;
  }

  /** The environment is NUL-separated {@code NAME=value} entries; the marker must be a whole entry. */
  static boolean carries(byte[] environ, byte[] marker) {
    for (int at = 0; at + marker.length <= environ.length; at++) {
      if ((at == 0 || environ[at - 1] == 0)
          && Arrays.equals(environ, at, at + marker.length, marker, 0, marker.length)) {
        return true;
      }
    }
    return false;
  }

  private static boolean carries(Path environ, byte[] marker) {
    return read(environ).map(bytes -> carries(bytes, marker)).orElse(false);
  }

  /** Another user's process, or one that just ended: not ours to kill anyway. */
  private static Optional<byte[]> read(Path file) {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isPid(String name) {
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }
}
