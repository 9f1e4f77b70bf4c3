package io.pulse.worker.image;

import java.util.List;

/**
 * What a sandbox needs from an image's config: how to run it and which root filesystem snapshot to start from.
 *
 * @param chainId the committed snapshot of the topmost layer (the parent of each sandbox's writable snapshot)
 * @param env {@code KEY=value} entries
 * @param user {@code uid[:gid]} or a name, "" for root
 */
public record ImageConfig(
    String name,
    String manifestDigest,
    String chainId,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user) {

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
  }
}
