package io.pulse.bench.experiment;

import io.pulse.worker.image.ImageConfig;
import io.pulse.worker.oci.RuntimeSpecs;
import io.pulse.worker.oci.SpecInputs;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.sandbox.containerd.SandboxProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/**
 * The OCI runtime spec (a bundle's config.json) of the raw floor's container: the process, resources and namespaces
 * the direct runtime gives a sandbox of the same spec and image on host networking, rooted at an already mounted
 * rootfs. Pure: same inputs, same document.
 */
final class FloorBundle {

  private FloorBundle() {}

  /**
   * @param rootfs where the image's layers are mounted (absolute): shared by every sample, so always read-only
   * @param direct the direct runtime's settings (pids limit, namespace of the cgroup's name)
   */
  static JsonObject spec(String id, SandboxSpec spec, ImageConfig image, int port, Path rootfs,
      ContainerdSettings direct) {
    SandboxProcess process = SandboxProcess.of(id, spec, image, port);
    // One cgroup level (not the runtime's /pulse-<ns>/<id>): the runtime's delete then leaves no directory behind.
    SpecInputs inputs = new SpecInputs(id, process.args(), process.env(), image.workingDir(), image.user(), false,
        true, spec.resources().cpuMillis(), spec.resources().memoryMiB(), direct.pidsLimit(),
        "/pulse-floor-" + direct.namespace() + "-" + id, Map.of("io.pulse.function", spec.function()));
    JsonObject json = RuntimeSpecs.build(inputs);
    json.getJsonObject("root").put("path", rootfs.toAbsolutePath().toString());
    return json;
  }
}
