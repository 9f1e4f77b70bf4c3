package io.pulse.worker.testing;

import io.pulse.worker.sandbox.containerd.ContainerdClient;

/**
 * What a containerd test class starts once: a private containerd, a local registry with the busybox httpd test image
 * ({@code pulse/httpd:v1}) pushed, and a client of namespace {@code pulse} to inspect what the runtime left. Skips the
 * calling class where containerd, runc, the registry or busybox are missing.
 */
public final class ContainerdRig implements AutoCloseable {

  private final ContainerdHarness containerd;
  private final RegistryHarness registry;
  private final String image;
  private final ContainerdClient inspector;

  private ContainerdRig(ContainerdHarness containerd, RegistryHarness registry, String image,
      ContainerdClient inspector) {
    this.containerd = containerd;
    this.registry = registry;
    this.image = image;
    this.inspector = inspector;
  }

  public static ContainerdRig start() throws Exception {
    ContainerdHarness.assumeAvailable();
    RegistryHarness.assumeAvailable();
    TestImages.assumeAvailable();
    ContainerdHarness containerd = ContainerdHarness.start();
    RegistryHarness registry = null;
    try {
      registry = RegistryHarness.start();
      String image = TestImages.pushHttpd(registry.host(), "pulse/httpd", "v1");
      return new ContainerdRig(containerd, registry, image,
          ContainerdClient.connect(containerd.socket(), "pulse", 10_000));
    } catch (Exception | Error e) {
      if (registry != null) {
        registry.close();
      }
      containerd.close();
      throw e;
    }
  }

  public ContainerdHarness containerd() {
    return containerd;
  }

  public RegistryHarness registry() {
    return registry;
  }

  public String image() {
    return image;
  }

  public ContainerdClient inspector() {
    return inspector;
  }

  @Override
  public void close() {
    inspector.close();
    registry.close();
    containerd.close();
  }
}
