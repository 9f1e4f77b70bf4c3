package io.pulse.worker.sandbox.process;

import io.pulse.worker.sandbox.CreatorLease;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxKind;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What a restarted worker needs to re-adopt a sandbox, kept next to it on disk. The pid alone is not enough (pids are
 * reused), so the process start time is recorded too.
 */
record SandboxMetadata(
    String instanceId,
    long pid,
    long startMillis,
    int port,
    String function,
    long revision,
    SandboxKind kind,
    Resources resources,
    long createdAtMs,
    CreatorLease creator) {

  static final String FILE_NAME = "sandbox.properties";

  /** Writes through a temporary file and a rename, so a crash never leaves half a file. */
  void write(Path dir) throws IOException {
    Properties p = new Properties();
    p.setProperty("instanceId", instanceId);
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("startMillis", Long.toString(startMillis));
    p.setProperty("port", Integer.toString(port));
    p.setProperty("function", function);
    p.setProperty("revision", Long.toString(revision));
    p.setProperty("kind", kind.name());
    p.setProperty("cpuMillis", Integer.toString(resources.cpuMillis()));
    p.setProperty("memoryMiB", Integer.toString(resources.memoryMiB()));
    p.setProperty("createdAtMs", Long.toString(createdAtMs));
    if (creator.held()) {
      p.setProperty("creator", creator.creator());
      p.setProperty("leaseMs", Long.toString(creator.leaseMs()));
    }
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "pulse sandbox");
    }
    Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The metadata in {@code dir}, or empty when it is missing or unreadable. */
  static Optional<SandboxMetadata> read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      return Optional.of(new SandboxMetadata(
          required(p, "instanceId"),
          Long.parseLong(required(p, "pid")),
          Long.parseLong(required(p, "startMillis")),
          Integer.parseInt(required(p, "port")),
          required(p, "function"),
          Long.parseLong(required(p, "revision")),
          SandboxKind.valueOf(required(p, "kind")),
          new Resources(Integer.parseInt(required(p, "cpuMillis")), Integer.parseInt(required(p, "memoryMiB"))),
          Long.parseLong(required(p, "createdAtMs")),
          // Absent in files of earlier versions and of sandboxes without a lease.
          new CreatorLease(p.getProperty("creator", ""), Long.parseLong(p.getProperty("leaseMs", "0")))));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }
}
