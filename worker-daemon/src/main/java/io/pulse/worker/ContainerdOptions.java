package io.pulse.worker;

import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import java.nio.file.Path;
import java.util.Set;

/**
 * The worker's options for the {@code containerd} runtime (ignored by the others). Kept apart from
 * {@link WorkerConfig} so that runtime-specific settings do not widen the shared record; {@link #settings} combines
 * both into the runtime's own settings.
 *
 * @param socket containerd's gRPC socket
 * @param namespace containerd namespace for every object of ours
 * @param network {@code host} or {@code cni}
 * @param insecureRegistries registries ({@code host:port}) reached over plain HTTP
 * @param cniBinDir where the CNI plugins live
 * @param readOnlyRootfs mounts every sandbox's root filesystem read-only
 */
public record ContainerdOptions(
    Path socket,
    String namespace,
    String network,
    Set<String> insecureRegistries,
    Path cniBinDir,
    boolean readOnlyRootfs,
    RegistryCredentials credentials) {

  public ContainerdOptions {
    insecureRegistries = Set.copyOf(insecureRegistries);
    if (!ContainerdSettings.NETWORKS.contains(network)) {
      throw new IllegalArgumentException("network must be one of " + ContainerdSettings.NETWORKS + ", was '"
          + network + "'");
    }
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("containerdNamespace must not be empty");
    }
  }

  public static ContainerdOptions defaults() {
    return new ContainerdOptions(ContainerdSettings.DEFAULT_SOCKET, "pulse", "host", Set.of(), Path.of("/usr/lib/cni"),
        false, RegistryCredentials.NONE);
  }

  /** The runtime's settings: these options plus the worker's data dir, host, port range and timeouts. */
  public ContainerdSettings settings(WorkerConfig config) {
    ContainerdSettings base = ContainerdSettings.defaults(socket, config.dataDir());
    return new ContainerdSettings(socket, namespace, base.snapshotter(), base.runtimeName(), network, cniBinDir,
        base.cniSubnet(), base.cniPort(), insecureRegistries, credentials, config.dataDir(), config.advertiseHost(),
        config.portRangeStart(), config.portRangeEnd(), config.stopGraceMs(), config.defaultReadinessTimeoutMs(),
        readOnlyRootfs, base.pidsLimit(), base.callDeadlineMs(), base.pullDeadlineMs());
  }
}
