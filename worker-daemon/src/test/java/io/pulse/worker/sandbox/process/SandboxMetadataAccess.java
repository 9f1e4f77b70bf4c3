package io.pulse.worker.sandbox.process;

import java.nio.file.Path;

/** Lets tests of other packages read the pid the process runtime recorded for a sandbox. */
public final class SandboxMetadataAccess {

  private SandboxMetadataAccess() {}

  public static long pid(Path dataDir, String instanceId) {
    return SandboxMetadata.read(dataDir.resolve("instances").resolve(instanceId)).orElseThrow().pid();
  }
}
