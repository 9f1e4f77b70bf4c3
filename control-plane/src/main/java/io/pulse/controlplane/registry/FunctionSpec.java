package io.pulse.controlplane.registry;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A function as the user declared it, after defaults and validation. Immutable; a change is a new revision.
 *
 * @param image OCI image reference (containerd runtime), or null
 * @param command argv (process runtime; overrides the image's entrypoint under containerd); empty when absent
 * @param port port the function listens on inside its sandbox; 0 lets the worker assign one through {@code $PORT}
 * @param secrets the secrets its sandboxes receive (by name; the values never appear in a spec)
 * @param async how its async invocations are dispatched
 */
public record FunctionSpec(
    String name,
    @Nullable String image,
    List<String> command,
    int port,
    Map<String, String> env,
    Resources resources,
    Scaling scaling,
    int timeoutSeconds,
    List<SecretRef> secrets,
    AsyncSettings async) {

  /** What a spec gets where the user said nothing (the REST API's defaults; {@code docs/api.md} lists them). */
  public static final int DEFAULT_PORT = 0;
  public static final int DEFAULT_CPU_MILLIS = 250;
  public static final int DEFAULT_MEMORY_MIB = 256;
  public static final int DEFAULT_MIN_SCALE = 0;
  public static final int DEFAULT_MAX_SCALE = 0;
  public static final int DEFAULT_TARGET_CONCURRENCY = 1;
  public static final int DEFAULT_KEEP_ALIVE_SECONDS = 60;
  public static final int DEFAULT_TIMEOUT_SECONDS = 300;
  /**
   * An Emergency Instance serves further requests for half a second after its last: about three creation times, long
   * enough for a function's next calls in a burst, short enough to stay within kpa's cost (docs/benchmarks.md).
   */
  public static final int DEFAULT_EMERGENCY_KEEP_ALIVE_MS = 500;

  /** Function and secret names are DNS-1123 labels: they become host names, object names and file names. */
  public static final int MAX_NAME_LENGTH = 63;
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");

  /** Whether {@code name} is a DNS-1123 label of at most {@link #MAX_NAME_LENGTH} characters. */
  public static boolean validName(String name) {
    return name.length() <= MAX_NAME_LENGTH && DNS_1123_LABEL.matcher(name).matches();
  }

  public FunctionSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    secrets = List.copyOf(secrets);
  }

  /** A function with the default async settings. */
  public FunctionSpec(String name, @Nullable String image, List<String> command, int port, Map<String, String> env,
      Resources resources, Scaling scaling, int timeoutSeconds, List<SecretRef> secrets) {
    this(name, image, command, port, env, resources, scaling, timeoutSeconds, secrets, AsyncSettings.DEFAULTS);
  }

  /** A function that receives no secret. */
  public FunctionSpec(String name, @Nullable String image, List<String> command, int port, Map<String, String> env,
      Resources resources, Scaling scaling, int timeoutSeconds) {
    this(name, image, command, port, env, resources, scaling, timeoutSeconds, List.of());
  }

  /** CPU and memory one instance reserves on its worker. */
  public record Resources(int cpuMillis, int memoryMiB) {}

  /**
   * How the autoscaler treats the function.
   *
   * @param maxScale upper bound of instances; 0 means bounded only by cluster capacity
   * @param targetConcurrency concurrent requests one instance takes (also the data plane's hard slot count)
   * @param keepAliveSeconds idle time after which the function scales to {@code minScale}
   * @param policy the function's scaling policy; null: the cluster default
   * @param emergencyKeepAliveMs how long an Emergency Instance may serve further requests after its first (0: single
   *     use)
   * @param prewarm created-not-started sandboxes of the current revision each worker that runs the function keeps
   *     (containerd workers with a pool budget; 0: none, or automatic)
   * @param prewarmAuto the leader sizes the pools from the function's creation rate ({@code "prewarm": "auto"});
   *     {@code prewarm} is then 0
   */
  public record Scaling(int minScale, int maxScale, int targetConcurrency, int keepAliveSeconds,
      @Nullable ScalingPolicy policy, int emergencyKeepAliveMs, int prewarm, boolean prewarmAuto) {

    public Scaling {
      if (prewarmAuto && prewarm != 0) {
        throw new IllegalArgumentException("an automatic prewarm has no count, was " + prewarm);
      }
    }

    /** A fixed prewarm (0: no pool). */
    public Scaling(int minScale, int maxScale, int targetConcurrency, int keepAliveSeconds,
        @Nullable ScalingPolicy policy, int emergencyKeepAliveMs, int prewarm) {
      this(minScale, maxScale, targetConcurrency, keepAliveSeconds, policy, emergencyKeepAliveMs, prewarm, false);
    }

    /** No pool. */
    public Scaling(int minScale, int maxScale, int targetConcurrency, int keepAliveSeconds,
        @Nullable ScalingPolicy policy, int emergencyKeepAliveMs) {
      this(minScale, maxScale, targetConcurrency, keepAliveSeconds, policy, emergencyKeepAliveMs, 0);
    }

    /** The cluster-default policy, the default Emergency keep-alive, no pool. */
    public Scaling(int minScale, int maxScale, int targetConcurrency, int keepAliveSeconds) {
      this(minScale, maxScale, targetConcurrency, keepAliveSeconds, null, DEFAULT_EMERGENCY_KEEP_ALIVE_MS);
    }

    /** The policy in force: the function's own, else {@code clusterDefault}. */
    public ScalingPolicy policyOr(ScalingPolicy clusterDefault) {
      return policy != null ? policy : clusterDefault;
    }
  }
}
