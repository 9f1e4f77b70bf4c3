package io.pulse.worker.sandbox.containerd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads how many processes the kernel's OOM killer took in a cgroup: {@code oom_kill} of {@code memory.events}
 * (cgroup v2) or of {@code memory.oom_control} (cgroup v1, kernel 4.13+). A missing cgroup or counter reads 0.
 */
final class CgroupMemory {

  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private CgroupMemory() {}

  /** OOM kills counted for the cgroup at {@code cgroupsPath} (as in the OCI spec, e.g. {@code /pulse-ns/id}). */
  static long oomKills(String cgroupsPath) {
    return oomKills(ROOT, cgroupsPath);
  }

  static long oomKills(Path root, String cgroupsPath) {
    String relative = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
    for (Path file : List.of(root.resolve(relative).resolve("memory.events"),
        root.resolve("memory").resolve(relative).resolve("memory.oom_control"))) {
      long count = counter(file, "oom_kill");
      if (count >= 0) {
        return count;
      }
    }
    return 0;
  }

  /** The value of a {@code name value} line, or -1 when the file or the line is missing. */
  static long counter(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length == 2 && parts[0].equals(name)) {
          return Long.parseLong(parts[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
