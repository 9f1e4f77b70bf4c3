package io.pulse.worker.oci;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything one runtime spec is made of.
 *
 * @param args the process argv (already resolved: function command, else image entrypoint + cmd)
 * @param env {@code KEY=value}, image entries first, later entries override earlier ones with the same key
 * @param user {@code uid[:gid]} (numeric; "" for root)
 * @param ownNetwork true: a network namespace of its own (CNI); false: the host's network
 * @param cpuMillis CPU weight (cpu.shares, 1024 per 1000m; no quota); 0: none
 * @param memoryMiB memory limit; 0: none
 * @param pidsLimit most processes in the sandbox; 0: none
 * @param secretsSource host directory bind-mounted read-only at {@link RuntimeSpecs#SECRETS_MOUNT}; null: none
 */
public record SpecInputs(
    String hostname,
    List<String> args,
    List<String> env,
    String workingDir,
    String user,
    boolean ownNetwork,
    boolean readOnlyRootfs,
    int cpuMillis,
    int memoryMiB,
    int pidsLimit,
    String cgroupsPath,
    Map<String, String> annotations,
    @Nullable String secretsSource) {

  /** Inputs of a sandbox without secrets. */
  public SpecInputs(String hostname, List<String> args, List<String> env, String workingDir, String user,
      boolean ownNetwork, boolean readOnlyRootfs, int cpuMillis, int memoryMiB, int pidsLimit, String cgroupsPath,
      Map<String, String> annotations) {
    this(hostname, args, env, workingDir, user, ownNetwork, readOnlyRootfs, cpuMillis, memoryMiB, pidsLimit,
        cgroupsPath, annotations, null);
  }

  public SpecInputs {
    args = List.copyOf(args);
    env = List.copyOf(env);
    annotations = Map.copyOf(annotations);
    if (args.isEmpty()) {
      throw new IllegalArgumentException("spec needs a command: the function has none and the image has no "
          + "entrypoint or cmd");
    }
  }
}
