package io.pulse.dataplane;

import io.pulse.common.config.Records;
import io.pulse.common.http.ListenerOptions;
import io.pulse.common.net.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Settings of one data plane, validated on construction (the message names the bad field).
 *
 * @param dataPlaneId how this data plane names itself to the control plane (default: hostname + short random)
 * @param httpBind where the gateway listens (default 0.0.0.0:8080; port 0 picks a free port)
 * @param domain {@code Host: {fn}.{domain}} routes to function fn (default fn.localhost)
 * @param controlPlane control-plane gRPC addresses; the first is used for now (default [127.0.0.1:9091])
 * @param queueCapacity most requests waiting for a slot, per function (default 1000)
 * @param queueTimeoutMs how long a request waits for a slot before 504 (default 30000)
 * @param reportIntervalMs period of load reports (default 1000)
 * @param maxRequestBodyBytes larger declared Content-Length is refused with 413 (default 64 MiB)
 * @param eventLoops event loops that run the gateway, one gateway verticle each (default
 *     {@link #defaultEventLoops(int)} of the cores)
 * @param emergencyCreationsPerWorker most Emergency Instances this data plane creates at once on one worker
 *     (default 8); beyond it, and without headroom, a request waits in the queue
 * @param metricFilterPercentile the inter-arrival-time percentile the metric filter compares with the keep-alive
 *     (default 50, the median)
 * @param emergencyLeaseMs the lease of this data plane's Emergency Instances: it renews them every third of it, and a
 *     worker deletes one not renewed for that long (the data plane died); default 30000
 * @param gateway TLS (HTTPS for invocations), header limit and idle timeout of the gateway's listener (default: plain
 *     HTTP, 8 KiB of headers, {@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s)
 * @param forwarding how the gateway carries requests to Regular Instances: the byte-level forwarder,
 *     {@link Forwarding#RAW} (default), which hands what it does not carry to the Vert.x path, or
 *     {@link Forwarding#VERTX}, that path for every request
 */
public record DataPlaneConfig(String dataPlaneId, HostPort httpBind, String domain, List<HostPort> controlPlane,
    int queueCapacity, long queueTimeoutMs, long reportIntervalMs, long maxRequestBodyBytes,
    int eventLoops, int emergencyCreationsPerWorker, int metricFilterPercentile, long emergencyLeaseMs,
    ListenerOptions gateway, Forwarding forwarding) {

  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /**
   * Idle timeout of gateway connections: longer than the longest function timeout (3600 s), since a connection stays
   * silent while its function runs.
   */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 3660;

  public DataPlaneConfig {
    java.util.Objects.requireNonNull(gateway, "gateway must be set");
    java.util.Objects.requireNonNull(forwarding, "forwarding must be set");
    if (dataPlaneId.isBlank()) {
      throw new IllegalArgumentException("dataPlaneId must not be empty");
    }
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("domain must be a lower-case DNS name such as fn.localhost, was '"
          + domain + "'");
    }
    controlPlane = List.copyOf(controlPlane);
    if (controlPlane.isEmpty()) {
      throw new IllegalArgumentException("controlPlane must list at least one host:port");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, was " + queueCapacity);
    }
    if (queueTimeoutMs < 1) {
      throw new IllegalArgumentException("queueTimeoutMs must be >= 1, was " + queueTimeoutMs);
    }
    if (reportIntervalMs < 10) {
      throw new IllegalArgumentException("reportIntervalMs must be >= 10, was " + reportIntervalMs);
    }
    if (maxRequestBodyBytes < 0) {
      throw new IllegalArgumentException("maxRequestBodyBytes must be >= 0, was " + maxRequestBodyBytes);
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be >= 1, was " + eventLoops);
    }
    if (emergencyCreationsPerWorker < 1) {
      throw new IllegalArgumentException("emergencyCreationsPerWorker must be >= 1, was "
          + emergencyCreationsPerWorker);
    }
    if (metricFilterPercentile < 1 || metricFilterPercentile > 100) {
      throw new IllegalArgumentException("metricFilterPercentile must be in 1..100, was " + metricFilterPercentile);
    }
    if (emergencyLeaseMs < 300) {
      throw new IllegalArgumentException("emergencyLeaseMs must be >= 300, was " + emergencyLeaseMs);
    }
  }

  public static DataPlaneConfig defaults() {
    return new DataPlaneConfig(defaultId(), new HostPort("0.0.0.0", 8080), "fn.localhost",
        List.of(new HostPort("127.0.0.1", 9091)), 1000, 30_000, 1000, 64L * 1024 * 1024,
        defaultEventLoops(Runtime.getRuntime().availableProcessors()), 8, 50, 30_000,
        ListenerOptions.plain(DEFAULT_IDLE_TIMEOUT_SECONDS), Forwarding.RAW);
  }

  /**
   * Half the cores, at least one. The gateway shares its host with the kernel's work for its sockets (on loopback
   * each send runs the receiver's TCP too) and, on most hosts, with sandboxes or the clients: on two shared cores one
   * loop that finds several connections ready per wake-up spent 0.6x the CPU per request of two that each slept and
   * woke for fewer (docs/benchmarks.md, "warm, stop 37"). A host that runs nothing but the data plane can give it a
   * loop per core with {@code --event-loops}.
   */
  public static int defaultEventLoops(int cores) {
    return Math.max(1, cores / 2);
  }

  public DataPlaneConfig withDataPlaneId(String value) {
    return Records.with(this, "dataPlaneId", value);
  }

  public DataPlaneConfig withHttpBind(HostPort value) {
    return Records.with(this, "httpBind", value);
  }

  public DataPlaneConfig withDomain(String value) {
    return Records.with(this, "domain", value);
  }

  public DataPlaneConfig withControlPlane(List<HostPort> value) {
    return Records.with(this, "controlPlane", value);
  }

  public DataPlaneConfig withQueueCapacity(int value) {
    return Records.with(this, "queueCapacity", value);
  }

  public DataPlaneConfig withQueueTimeoutMs(long value) {
    return Records.with(this, "queueTimeoutMs", value);
  }

  public DataPlaneConfig withReportIntervalMs(long value) {
    return Records.with(this, "reportIntervalMs", value);
  }

  public DataPlaneConfig withMaxRequestBodyBytes(long value) {
    return Records.with(this, "maxRequestBodyBytes", value);
  }

  public DataPlaneConfig withEventLoops(int value) {
    return Records.with(this, "eventLoops", value);
  }

  public DataPlaneConfig withEmergencyCreationsPerWorker(int value) {
    return Records.with(this, "emergencyCreationsPerWorker", value);
  }

  public DataPlaneConfig withMetricFilterPercentile(int value) {
    return Records.with(this, "metricFilterPercentile", value);
  }

  public DataPlaneConfig withEmergencyLeaseMs(long value) {
    return Records.with(this, "emergencyLeaseMs", value);
  }

  public DataPlaneConfig withGateway(ListenerOptions value) {
    return Records.with(this, "gateway", value);
  }

  public DataPlaneConfig withForwarding(Forwarding value) {
    return Records.with(this, "forwarding", value);
  }

  private static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "data-plane";
    }
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return host + "-" + HexFormat.of().formatHex(random);
  }
}
