package io.pulse.worker.sandbox.containerd;

import io.pulse.common.config.Records;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.logs.RotatingLog;
import java.nio.file.Path;
import java.util.Set;

/**
 * Configuration of the containerd runtime, validated on construction (messages name the field).
 *
 * @param socket containerd's gRPC socket
 * @param namespace containerd namespace holding every object of ours
 * @param network {@code host} (host network, a port per sandbox from the range) or {@code cni} (bridge, own IP)
 * @param cniBinDir where the CNI plugins live (Debian: {@code /usr/lib/cni})
 * @param cniSubnet the bridge network's IPv4 subnet (CIDR, prefix 8..30): one address per sandbox
 * @param cniIpMasq masquerade sandbox traffic leaving the subnet, so that sandboxes reach other hosts
 * @param cniPort the port a function listens on in CNI mode when its spec says 0 (passed as {@code $PORT})
 * @param insecureRegistries registries ({@code host:port}) reached over plain HTTP
 * @param dataDir task logs ({@code instances/<id>/}) and CNI IPAM state live under it
 * @param advertiseHost the host data planes use to reach host-network sandboxes
 * @param readOnlyRootfs mounts each sandbox's root filesystem read-only (a tmpfs on /tmp stays writable)
 * @param pidsLimit most processes per sandbox (0: none)
 * @param callDeadlineMs deadline of one containerd call
 * @param pullDeadlineMs deadline of one blob transfer or layer unpack
 * @param secretsDir secret files live in {@code <secretsDir>/<namespace>/<instance>/}, on a tmpfs (never on disk)
 * @param logMaxBytes size at which a sandbox's {@code output.log} is rotated; one older file is kept
 * @param closeDeadlineMs how long a close may take to remove the sandboxes and pool members (under way ones too);
 *     what is left then goes at the next start's recovery
 * @param ociRuntime the OCI runtime binary the runc shim drives
 */
public record ContainerdSettings(
    Path socket,
    String namespace,
    String snapshotter,
    String runtimeName,
    String network,
    Path cniBinDir,
    String cniSubnet,
    boolean cniIpMasq,
    int cniPort,
    Set<String> insecureRegistries,
    RegistryCredentials credentials,
    Path dataDir,
    String advertiseHost,
    int portRangeStart,
    int portRangeEnd,
    long stopGraceMs,
    long defaultReadinessTimeoutMs,
    boolean readOnlyRootfs,
    int pidsLimit,
    long callDeadlineMs,
    long pullDeadlineMs,
    Path secretsDir,
    long logMaxBytes,
    long closeDeadlineMs,
    OciRuntime ociRuntime) {

  public static final Set<String> NETWORKS = Set.of("host", "cni");
  public static final Path DEFAULT_SOCKET = Path.of("/run/containerd/containerd.sock");
  public static final Path DEFAULT_SECRETS_DIR = Path.of("/run/pulse/secrets");
  public static final String DEFAULT_CNI_SUBNET = "10.88.64.0/18";
  /** Below the 30 s an all-in-one Pulse and {@code pulse worker} give a component's close. */
  public static final long DEFAULT_CLOSE_DEADLINE_MS = 20_000;
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final java.util.regex.Pattern CIDR = java.util.regex.Pattern.compile(
      OCTET + "(\\." + OCTET + "){3}/([89]|[12]\\d|30)");

  public ContainerdSettings {
    insecureRegistries = Set.copyOf(insecureRegistries);
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("containerdNamespace must not be empty");
    }
    if (!NETWORKS.contains(network)) {
      throw new IllegalArgumentException("network must be one of " + NETWORKS + ", was '" + network + "'");
    }
    if (!CIDR.matcher(cniSubnet).matches()) {
      throw new IllegalArgumentException("cniSubnet must be an IPv4 CIDR with a prefix of 8..30 (e.g. 10.88.64.0/18),"
          + " was '" + cniSubnet + "'");
    }
    if (cniPort < 1 || cniPort > 65535) {
      throw new IllegalArgumentException("cniPort must be in 1..65535, was " + cniPort);
    }
    if (portRangeStart < 1 || portRangeEnd < portRangeStart || portRangeEnd > 65535) {
      throw new IllegalArgumentException("port range must be within 1..65535, was " + portRangeStart + ".."
          + portRangeEnd);
    }
    if (pidsLimit < 0) {
      throw new IllegalArgumentException("pidsLimit must be >= 0, was " + pidsLimit);
    }
    if (callDeadlineMs <= 0 || pullDeadlineMs <= 0 || defaultReadinessTimeoutMs <= 0 || closeDeadlineMs <= 0) {
      throw new IllegalArgumentException("deadlines must be > 0");
    }
    if (logMaxBytes < RotatingLog.MIN_MAX_BYTES) {
      throw new IllegalArgumentException("logMaxBytes must be >= " + RotatingLog.MIN_MAX_BYTES + ", was "
          + logMaxBytes);
    }
  }

  /**
   * Defaults for a socket and a data directory: host network, namespace {@code pulse}, overlayfs, the runc v2 shim
   * driving crun where it can run here, else runc.
   */
  public static ContainerdSettings defaults(Path socket, Path dataDir) {
    return new ContainerdSettings(socket, "pulse", "overlayfs", "io.containerd.runc.v2", "host",
        Path.of("/usr/lib/cni"), DEFAULT_CNI_SUBNET, true, 8080, Set.of(), RegistryCredentials.NONE, dataDir,
        "127.0.0.1",
        20000, 29999, 2000, 30000, false, 1024, 10_000, 300_000, DEFAULT_SECRETS_DIR,
        RotatingLog.DEFAULT_MAX_BYTES, DEFAULT_CLOSE_DEADLINE_MS, OciRuntime.detect());
  }

  public ContainerdSettings withOciRuntime(OciRuntime value) {
    return Records.with(this, "ociRuntime", value);
  }

  public ContainerdSettings withNetwork(String value) {
    return Records.with(this, "network", value);
  }

  public ContainerdSettings withNamespace(String value) {
    return Records.with(this, "namespace", value);
  }

  public ContainerdSettings withInsecureRegistries(Set<String> value) {
    return Records.with(this, "insecureRegistries", value);
  }

  public ContainerdSettings withPortRange(int start, int end) {
    return Records.with(this, "portRangeStart", start, "portRangeEnd", end);
  }

  public ContainerdSettings withAdvertiseHost(String value) {
    return Records.with(this, "advertiseHost", value);
  }

  public ContainerdSettings withStopGraceMs(long value) {
    return Records.with(this, "stopGraceMs", value);
  }

  public ContainerdSettings withDefaultReadinessTimeoutMs(long value) {
    return Records.with(this, "defaultReadinessTimeoutMs", value);
  }

  public ContainerdSettings withCniSubnet(String value) {
    return Records.with(this, "cniSubnet", value);
  }

  public ContainerdSettings withCniIpMasq(boolean value) {
    return Records.with(this, "cniIpMasq", value);
  }

  public ContainerdSettings withSecretsDir(Path value) {
    return Records.with(this, "secretsDir", value);
  }

  public ContainerdSettings withLogMaxBytes(long value) {
    return Records.with(this, "logMaxBytes", value);
  }

  public ContainerdSettings withCredentials(RegistryCredentials value) {
    return Records.with(this, "credentials", value);
  }

  public ContainerdSettings withCloseDeadlineMs(long value) {
    return Records.with(this, "closeDeadlineMs", value);
  }

}
