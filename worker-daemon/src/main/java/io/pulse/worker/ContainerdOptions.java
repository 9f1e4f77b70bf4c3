package io.pulse.worker;

import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.sandbox.containerd.NetworkMode;
import io.pulse.worker.sandbox.containerd.OciRuntime;
import java.nio.file.Path;
import java.util.Set;

/**
 * The worker's options for the {@code containerd} runtime (ignored by the others). Kept apart from
 * {@link WorkerConfig} so that runtime-specific settings do not widen the shared record; {@link #settings} combines
 * both into the runtime's own settings.
 *
 * @param socket containerd's gRPC socket
 * @param namespace containerd namespace for every object of ours
 * @param network {@code auto} (CNI where its plugins are installed, else host), {@code host} or {@code cni}
 * @param insecureRegistries registries ({@code host:port}) reached over plain HTTP
 * @param cniBinDir where the CNI plugins live
 * @param readOnlyRootfs mounts every sandbox's root filesystem read-only
 * @param credentials registry logins
 * @param cniSubnet the CNI bridge's IPv4 subnet (CNI mode): its size bounds the sandboxes one worker runs at once
 * @param cniIpMasq masquerade sandbox traffic leaving the subnet (CNI mode), so that sandboxes reach other hosts
 * @param pool what the worker's sandbox pools may hold together ({@link PoolBudget#NONE}: no pools); its memory is
 *     kept out of the capacity the worker advertises
 * @param ociRuntime the OCI runtime binary containerd's runc shim drives ({@code runc} or {@code crun})
 */
public record ContainerdOptions(
    Path socket,
    String namespace,
    String network,
    Set<String> insecureRegistries,
    Path cniBinDir,
    boolean readOnlyRootfs,
    RegistryCredentials credentials,
    String cniSubnet,
    boolean cniIpMasq,
    PoolBudget pool,
    OciRuntime ociRuntime) {

  public ContainerdOptions {
    insecureRegistries = Set.copyOf(insecureRegistries);
    if (!network.equals(NetworkMode.AUTO) && !ContainerdSettings.NETWORKS.contains(network)) {
      throw new IllegalArgumentException("network must be auto, host or cni, was '" + network + "'");
    }
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("containerdNamespace must not be empty");
    }
  }

  /** Options with the OCI runtime detected here ({@link OciRuntime#detect}). */
  public ContainerdOptions(Path socket, String namespace, String network, Set<String> insecureRegistries,
      Path cniBinDir, boolean readOnlyRootfs, RegistryCredentials credentials, String cniSubnet, boolean cniIpMasq,
      PoolBudget pool) {
    this(socket, namespace, network, insecureRegistries, cniBinDir, readOnlyRootfs, credentials, cniSubnet, cniIpMasq,
        pool, OciRuntime.detect());
  }

  /** Options without pools. */
  public ContainerdOptions(Path socket, String namespace, String network, Set<String> insecureRegistries,
      Path cniBinDir, boolean readOnlyRootfs, RegistryCredentials credentials, String cniSubnet, boolean cniIpMasq) {
    this(socket, namespace, network, insecureRegistries, cniBinDir, readOnlyRootfs, credentials, cniSubnet, cniIpMasq,
        PoolBudget.NONE);
  }

  /** Options with the default CNI subnet and masquerading on. */
  public ContainerdOptions(Path socket, String namespace, String network, Set<String> insecureRegistries,
      Path cniBinDir, boolean readOnlyRootfs, RegistryCredentials credentials) {
    this(socket, namespace, network, insecureRegistries, cniBinDir, readOnlyRootfs, credentials,
        ContainerdSettings.DEFAULT_CNI_SUBNET, true);
  }

  public static ContainerdOptions defaults() {
    return new ContainerdOptions(ContainerdSettings.DEFAULT_SOCKET, "pulse", NetworkMode.AUTO, Set.of(), Path.of("/usr/lib/cni"),
        false, RegistryCredentials.NONE);
  }

  public ContainerdOptions withCni(String subnet, boolean ipMasq) {
    return new ContainerdOptions(socket, namespace, network, insecureRegistries, cniBinDir, readOnlyRootfs,
        credentials, subnet, ipMasq, pool, ociRuntime);
  }

  public ContainerdOptions withPool(PoolBudget value) {
    return new ContainerdOptions(socket, namespace, network, insecureRegistries, cniBinDir, readOnlyRootfs,
        credentials, cniSubnet, cniIpMasq, value, ociRuntime);
  }

  public ContainerdOptions withOciRuntime(OciRuntime value) {
    return new ContainerdOptions(socket, namespace, network, insecureRegistries, cniBinDir, readOnlyRootfs,
        credentials, cniSubnet, cniIpMasq, pool, value);
  }

  /**
   * The runtime's settings: these options plus the worker's data dir, host, port range and timeouts; {@code auto}
   * resolved against this machine's CNI plugins (logged).
   */
  public ContainerdSettings settings(WorkerConfig config) {
    ContainerdSettings base = ContainerdSettings.defaults(socket, config.dataDir());
    NetworkMode.Choice choice = NetworkMode.detect(network, cniBinDir, cniIpMasq);
    return new ContainerdSettings(socket, namespace, base.snapshotter(), base.runtimeName(), choice.network(),
        choice.cniBinDir(), cniSubnet, cniIpMasq, base.cniPort(), insecureRegistries, credentials, config.dataDir(),
        config.advertiseHost(), config.portRangeStart(), config.portRangeEnd(), config.stopGraceMs(), config.defaultReadinessTimeoutMs(),
        readOnlyRootfs, base.pidsLimit(), base.callDeadlineMs(), base.pullDeadlineMs(), base.secretsDir(),
        config.logMaxBytes(), base.closeDeadlineMs(), ociRuntime);
  }
}
