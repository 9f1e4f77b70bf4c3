package io.pulse.k8sbridge.view;

import java.util.List;

/**
 * A function and its ready Regular Instances.
 *
 * @param image the OCI image, or empty for the process runtime
 */
public record FunctionView(String name, long revision, int cpuMillis, int memoryMiB, String image,
    List<InstanceView> instances) {

  public FunctionView {
    instances = List.copyOf(instances);
  }
}
