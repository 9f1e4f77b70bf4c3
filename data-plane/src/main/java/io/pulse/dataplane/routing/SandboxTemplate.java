package io.pulse.dataplane.routing;

import java.util.List;
import java.util.Map;

/**
 * What a worker needs to create an Emergency Instance of one function revision (the route's sandbox spec, in our own
 * terms). {@link #EMPTY} when the control plane sent none: such a function cannot take the expedited track.
 */
public record SandboxTemplate(String function, long revision, String image, List<String> command, int port,
    Map<String, String> env, int cpuMillis, int memoryMiB, int readinessTimeoutMs) {

  public static final SandboxTemplate EMPTY = new SandboxTemplate("", 0, "", List.of(), 0, Map.of(), 0, 0, 0);

  public SandboxTemplate {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  /** True when it names something to run. */
  public boolean runnable() {
    return !function.isEmpty() && (!image.isEmpty() || !command.isEmpty());
  }
}
