package io.pulse.worker;

import com.sun.management.OperatingSystemMXBean;
import io.pulse.common.net.HostPort;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The worker daemon's configuration, validated on construction (the message names the field).
 *
 * @param workerId unique name of this worker in the cluster
 * @param grpcBind where the WorkerService listens
 * @param advertiseHost the host the control plane and data planes use to reach this worker's gRPC and its sandboxes
 * @param controlPlane control-plane gRPC addresses; the first is used for now
 * @param runtime {@code process} (child processes) or {@code fake} (in-memory, for simulation)
 * @param dataDir instance directories and logs live under {@code dataDir/instances/<id>/}
 * @param cpuMillis CPU this worker offers to sandboxes, in millicores
 * @param memoryMiB memory this worker offers to sandboxes
 * @param portRangeStart first port for sandboxes (inclusive)
 * @param portRangeEnd last port for sandboxes (inclusive)
 * @param stopGraceMs time between SIGTERM and SIGKILL when a sandbox is deleted
 * @param defaultReadinessTimeoutMs readiness timeout when a spec says 0
 * @param heartbeatIntervalMs heartbeat period when the control plane's register answer gives none
 * @param fakeReadyDelayMs how long a fake sandbox takes to become ready (fake runtime only)
 */
public record WorkerConfig(
    String workerId,
    HostPort grpcBind,
    String advertiseHost,
    List<HostPort> controlPlane,
    String runtime,
    Path dataDir,
    int cpuMillis,
    int memoryMiB,
    int portRangeStart,
    int portRangeEnd,
    long stopGraceMs,
    long defaultReadinessTimeoutMs,
    long heartbeatIntervalMs,
    long fakeReadyDelayMs) {

  public static final Set<String> RUNTIMES = Set.of("process", "fake");

  public WorkerConfig {
    if (workerId.isBlank() || workerId.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("workerId must be non-empty without whitespace, was '" + workerId + "'");
    }
    if (advertiseHost.isBlank()) {
      throw new IllegalArgumentException("advertiseHost must not be empty");
    }
    controlPlane = List.copyOf(controlPlane);
    if (controlPlane.isEmpty()) {
      throw new IllegalArgumentException("controlPlane must list at least one host:port");
    }
    if (!RUNTIMES.contains(runtime)) {
      throw new IllegalArgumentException("runtime must be one of " + RUNTIMES + ", was '" + runtime + "'");
    }
    if (cpuMillis <= 0) {
      throw new IllegalArgumentException("cpuMillis must be > 0, was " + cpuMillis);
    }
    if (memoryMiB <= 0) {
      throw new IllegalArgumentException("memoryMiB must be > 0, was " + memoryMiB);
    }
    if (portRangeStart < 1 || portRangeStart > 65535) {
      throw new IllegalArgumentException("portRangeStart must be in 1..65535, was " + portRangeStart);
    }
    if (portRangeEnd < portRangeStart || portRangeEnd > 65535) {
      throw new IllegalArgumentException(
          "portRangeEnd must be in portRangeStart.." + 65535 + ", was " + portRangeEnd);
    }
    if (stopGraceMs < 0) {
      throw new IllegalArgumentException("stopGraceMs must be >= 0, was " + stopGraceMs);
    }
    if (defaultReadinessTimeoutMs <= 0) {
      throw new IllegalArgumentException("defaultReadinessTimeoutMs must be > 0, was " + defaultReadinessTimeoutMs);
    }
    if (heartbeatIntervalMs <= 0) {
      throw new IllegalArgumentException("heartbeatIntervalMs must be > 0, was " + heartbeatIntervalMs);
    }
    if (fakeReadyDelayMs < 0) {
      throw new IllegalArgumentException("fakeReadyDelayMs must be >= 0, was " + fakeReadyDelayMs);
    }
  }

  /** Defaults: capacity detected from this machine, a fresh worker id, the standard ports. */
  public static WorkerConfig defaults() {
    return new WorkerConfig(
        hostname() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000)),
        new HostPort("0.0.0.0", 9093),
        "127.0.0.1",
        List.of(new HostPort("127.0.0.1", 9091)),
        "process",
        Path.of(System.getProperty("java.io.tmpdir"), "pulse", "worker"),
        Runtime.getRuntime().availableProcessors() * 1000,
        detectedMemoryMiB(),
        20000,
        29999,
        2000,
        30000,
        1000,
        0);
  }

  /** This machine's host name, without a DNS lookup (which may hang when DNS is broken). */
  static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String file = Files.readString(Path.of("/etc/hostname")).strip();
      if (!file.isEmpty()) {
        return file;
      }
    } catch (IOException | RuntimeException e) {
      // Fall through to a neutral name.
    }
    return "worker";
  }

  private static int detectedMemoryMiB() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return (int) Math.max(1, os.getTotalMemorySize() / (1024 * 1024));
    }
    return 1024;
  }

  public WorkerConfig withWorkerId(String value) {
    return new WorkerConfig(value, grpcBind, advertiseHost, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withGrpcBind(HostPort value) {
    return new WorkerConfig(workerId, value, advertiseHost, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withAdvertiseHost(String value) {
    return new WorkerConfig(workerId, grpcBind, value, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withControlPlane(List<HostPort> value) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, value, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withRuntime(String value) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, value, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withDataDir(Path value) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, runtime, value, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withCapacity(int cpu, int memory) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, runtime, dataDir, cpu, memory,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withPortRange(int start, int end) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        start, end, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withStopGraceMs(long value) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, value, defaultReadinessTimeoutMs, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withDefaultReadinessTimeoutMs(long value) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, value, heartbeatIntervalMs, fakeReadyDelayMs);
  }

  public WorkerConfig withHeartbeatIntervalMs(long value) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, value, fakeReadyDelayMs);
  }

  public WorkerConfig withFakeReadyDelayMs(long value) {
    return new WorkerConfig(workerId, grpcBind, advertiseHost, controlPlane, runtime, dataDir, cpuMillis, memoryMiB,
        portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs, heartbeatIntervalMs, value);
  }
}
