package io.pulse.dataplane.routing;

import java.util.List;
import java.util.Map;

/**
 * What a worker needs to create an Emergency Instance of one function revision (the route's sandbox spec, in our own
 * terms). {@link #EMPTY} when the control plane sent none: such a function cannot take the expedited track.
 *
 * @param secrets the function's secrets with their values, passed on to the worker as they came (never logged: the
 *     wire messages that carry them are opaque here, and this record prints only their count)
 * @param prewarm the revision's {@code scaling.prewarm}, passed on so that a worker that only ever sees Emergency
 *     creations keeps its pool too
 */
public record SandboxTemplate(String function, long revision, String image, List<String> command, int port,
    Map<String, String> env, int cpuMillis, int memoryMiB, int readinessTimeoutMs,
    List<io.pulse.api.v1.SecretFile> secrets, int prewarm) {

  /** A template without a pool. */
  public SandboxTemplate(String function, long revision, String image, List<String> command, int port,
      Map<String, String> env, int cpuMillis, int memoryMiB, int readinessTimeoutMs,
      List<io.pulse.api.v1.SecretFile> secrets) {
    this(function, revision, image, command, port, env, cpuMillis, memoryMiB, readinessTimeoutMs, secrets, 0);
  }

  public static final SandboxTemplate EMPTY = new SandboxTemplate("", 0, "", List.of(), 0, Map.of(), 0, 0, 0);

  /** A template without secrets. */
  public SandboxTemplate(String function, long revision, String image, List<String> command, int port,
      Map<String, String> env, int cpuMillis, int memoryMiB, int readinessTimeoutMs) {
    this(function, revision, image, command, port, env, cpuMillis, memoryMiB, readinessTimeoutMs, List.of());
  }

  public SandboxTemplate {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    secrets = List.copyOf(secrets);
  }

  @Override
  public String toString() {
    return "SandboxTemplate[function=" + function + ", revision=" + revision + ", image=" + image + ", command="
        + command + ", port=" + port + ", env=" + env.keySet() + ", cpuMillis=" + cpuMillis + ", memoryMiB="
        + memoryMiB + ", readinessTimeoutMs=" + readinessTimeoutMs + ", secrets=" + secrets.size() + ", prewarm="
        + prewarm + "]";
  }

  /** True when it names something to run. */
  public boolean runnable() {
    return !function.isEmpty() && (!image.isEmpty() || !command.isEmpty());
  }
}
