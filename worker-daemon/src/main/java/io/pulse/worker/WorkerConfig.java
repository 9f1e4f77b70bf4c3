package io.pulse.worker;

import com.sun.management.OperatingSystemMXBean;
import io.pulse.common.config.Records;
import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.fake.FakeProfile;
import io.pulse.worker.sandbox.logs.RotatingLog;
import io.pulse.worker.sandbox.process.ProcessRuntimeSettings;
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
 * @param dataDir instance directories and logs live under {@code dataDir/instances/<id>/}, the highest leader epoch
 *     seen in {@code dataDir/highest-epoch}
 * @param cpuMillis CPU this worker offers to sandboxes, in millicores (its cores, or less)
 * @param memoryMiB memory this worker offers to sandboxes
 * @param portRangeStart first port for sandboxes (inclusive)
 * @param portRangeEnd last port for sandboxes (inclusive)
 * @param stopGraceMs time between SIGTERM and SIGKILL when a sandbox is deleted
 * @param defaultReadinessTimeoutMs readiness timeout when a spec says 0
 * @param heartbeatIntervalMs heartbeat period when the control plane's register answer gives none
 * @param fakeReadyDelayMs how long a fake sandbox takes to become ready (fake runtime only; when > 0 it overrides
 *     the profile's cold-start distribution)
 * @param fake how fake sandboxes behave: cold-start and execution-time distributions, HTTP or not, seed
 * @param emergencyReservePercent share of the schedulable CPU and of {@code memoryMiB} kept back for Emergency
 *     Instances: Regular Instances may use the rest, which is what the worker advertises as its capacity
 * @param cpuOvercommit how many times {@code cpuMillis} sandboxes may request in all (Kubernetes requests against
 *     allocatable): CPU is compressible, a sandbox's cpuMillis is its weight under contention, not a hard share;
 *     1.0 reserves CPU strictly. Memory is never overcommitted.
 * @param logMaxBytes size at which an instance's log file is rotated (process, containerd); one older file is kept
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
    long fakeReadyDelayMs,
    FakeProfile fake,
    int emergencyReservePercent,
    double cpuOvercommit,
    long logMaxBytes) {

  public static final Set<String> RUNTIMES = Set.of("process", "fake", "containerd");
  /**
   * Ten functions of the default 250 mCPU on a 2-core worker need 2500m as Regular Instances, and up to 5000m while
   * their first requests' Emergency Instances still run beside them; 4x (8000m) holds that with room to scale.
   */
  public static final double DEFAULT_CPU_OVERCOMMIT = 4.0;
  static final double MAX_CPU_OVERCOMMIT = 100.0;

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
    java.util.Objects.requireNonNull(fake, "fake must be set");
    if (emergencyReservePercent < 0 || emergencyReservePercent > 90) {
      throw new IllegalArgumentException("emergencyReservePercent must be in 0..90, was " + emergencyReservePercent);
    }
    if (!(cpuOvercommit >= 1.0 && cpuOvercommit <= MAX_CPU_OVERCOMMIT)) {
      throw new IllegalArgumentException("cpuOvercommit must be in 1.0.." + MAX_CPU_OVERCOMMIT + ", was "
          + cpuOvercommit);
    }
    if (logMaxBytes < RotatingLog.MIN_MAX_BYTES) {
      throw new IllegalArgumentException("logMaxBytes must be >= " + RotatingLog.MIN_MAX_BYTES + ", was " + logMaxBytes);
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
        0,
        FakeProfile.DEFAULT,
        20,
        DEFAULT_CPU_OVERCOMMIT,
        ProcessRuntimeSettings.DEFAULT_LOG_MAX_BYTES);
  }

  /**
   * What sandboxes may request in all: {@code cpuMillis} times the overcommit, and the memory as it is. The worker's
   * own ledger, the capacity it advertises and the emergency reserve all derive from it, so the control plane's
   * placement and the data planes' headroom need not know the ratio.
   */
  public Resources schedulable() {
    return new Resources((int) Math.min(Integer.MAX_VALUE, Math.round(cpuMillis * cpuOvercommit)), memoryMiB);
  }

  /** CPU and memory kept back for Emergency Instances. */
  public Resources emergencyReserve() {
    Resources schedulable = schedulable();
    return new Resources((int) ((long) schedulable.cpuMillis() * emergencyReservePercent / 100),
        memoryMiB * emergencyReservePercent / 100);
  }

  /** What Regular Instances may use: the schedulable capacity minus the emergency reserve (advertised as capacity). */
  public Resources regularCapacity() {
    return schedulable().minus(emergencyReserve());
  }

  public WorkerConfig withFake(FakeProfile value) {
    return Records.with(this, "fake", value);
  }

  public WorkerConfig withEmergencyReservePercent(int value) {
    return Records.with(this, "emergencyReservePercent", value);
  }

  public WorkerConfig withCpuOvercommit(double value) {
    return Records.with(this, "cpuOvercommit", value);
  }

  public WorkerConfig withLogMaxBytes(long value) {
    return Records.with(this, "logMaxBytes", value);
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
    return Records.with(this, "workerId", value);
  }

  public WorkerConfig withGrpcBind(HostPort value) {
    return Records.with(this, "grpcBind", value);
  }

  public WorkerConfig withAdvertiseHost(String value) {
    return Records.with(this, "advertiseHost", value);
  }

  public WorkerConfig withControlPlane(List<HostPort> value) {
    return Records.with(this, "controlPlane", value);
  }

  public WorkerConfig withRuntime(String value) {
    return Records.with(this, "runtime", value);
  }

  public WorkerConfig withDataDir(Path value) {
    return Records.with(this, "dataDir", value);
  }

  public WorkerConfig withCapacity(int cpu, int memory) {
    return Records.with(this, "cpuMillis", cpu, "memoryMiB", memory);
  }

  public WorkerConfig withPortRange(int start, int end) {
    return Records.with(this, "portRangeStart", start, "portRangeEnd", end);
  }

  public WorkerConfig withStopGraceMs(long value) {
    return Records.with(this, "stopGraceMs", value);
  }

  public WorkerConfig withDefaultReadinessTimeoutMs(long value) {
    return Records.with(this, "defaultReadinessTimeoutMs", value);
  }

  public WorkerConfig withHeartbeatIntervalMs(long value) {
    return Records.with(this, "heartbeatIntervalMs", value);
  }

  public WorkerConfig withFakeReadyDelayMs(long value) {
    return Records.with(this, "fakeReadyDelayMs", value);
  }

}
