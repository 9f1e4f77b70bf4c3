package io.pulse.worker.sandbox.process;

import io.pulse.worker.sandbox.logs.RotatingLog;
import java.nio.file.Path;

/**
 * What the process runtime needs from the worker's configuration.
 *
 * @param dataDir instance directories live under {@code dataDir/instances/}
 * @param advertiseHost host part of every sandbox endpoint
 * @param portRangeStart first port handed to sandboxes (inclusive)
 * @param portRangeEnd last port handed to sandboxes (inclusive)
 * @param stopGraceMs time between SIGTERM and SIGKILL when a sandbox is deleted
 * @param defaultReadinessTimeoutMs readiness timeout when a spec says 0
 * @param logMaxBytes size at which an instance's log is rotated; one older file is kept
 */
public record ProcessRuntimeSettings(
    Path dataDir,
    String advertiseHost,
    int portRangeStart,
    int portRangeEnd,
    long stopGraceMs,
    long defaultReadinessTimeoutMs,
    long logMaxBytes) {

  public static final long DEFAULT_LOG_MAX_BYTES = RotatingLog.DEFAULT_MAX_BYTES;

  public ProcessRuntimeSettings(Path dataDir, String advertiseHost, int portRangeStart, int portRangeEnd,
      long stopGraceMs, long defaultReadinessTimeoutMs) {
    this(dataDir, advertiseHost, portRangeStart, portRangeEnd, stopGraceMs, defaultReadinessTimeoutMs,
        DEFAULT_LOG_MAX_BYTES);
  }

  public ProcessRuntimeSettings {
    if (portRangeStart < 1 || portRangeEnd > 65535 || portRangeStart > portRangeEnd) {
      throw new IllegalArgumentException(
          "portRange must satisfy 1 <= start <= end <= 65535, was " + portRangeStart + ".." + portRangeEnd);
    }
    if (stopGraceMs < 0) {
      throw new IllegalArgumentException("stopGraceMs must be >= 0, was " + stopGraceMs);
    }
    if (defaultReadinessTimeoutMs <= 0) {
      throw new IllegalArgumentException("defaultReadinessTimeoutMs must be > 0, was " + defaultReadinessTimeoutMs);
    }
    if (logMaxBytes < RotatingLog.MIN_MAX_BYTES) {
      throw new IllegalArgumentException("logMaxBytes must be >= " + RotatingLog.MIN_MAX_BYTES + ", was " + logMaxBytes);
    }
  }
}
