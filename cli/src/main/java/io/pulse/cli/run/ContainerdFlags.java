package io.pulse.cli.run;

import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.sandbox.containerd.OciRuntime;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** The command-line options of the containerd runtime, shared by {@code pulse worker} and {@code pulse up}. */
final class ContainerdFlags {

  @Option(names = "--containerd-socket", defaultValue = "/run/containerd/containerd.sock",
      description = "containerd's gRPC socket (containerd runtime; default: ${DEFAULT-VALUE}).")
  Path socket;

  @Option(names = "--containerd-namespace", defaultValue = "pulse",
      description = "containerd namespace for Pulse's containers (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--network", defaultValue = "auto",
      description = "Sandbox networking (containerd runtime): cni (bridge, an IP per sandbox, so a fixed port "
          + "works), host (a port of the range per sandbox as $PORT; a fixed port is refused) or auto (cni where "
          + "the CNI plugins are installed, else host) (default: ${DEFAULT-VALUE}).")
  String network;

  @Option(names = "--insecure-registry", split = ",",
      description = "Registry host:port reached over plain HTTP (repeatable or comma-separated).")
  List<String> insecureRegistries = List.of();

  @Option(names = "--registry-login", split = ",",
      description = "host=user:password for a registry that needs basic auth or a bearer token (repeatable).")
  List<String> logins = List.of();

  @Option(names = "--cni-bin-dir", defaultValue = "/usr/lib/cni",
      description = "Where the CNI plugins are (default: ${DEFAULT-VALUE}).")
  Path cniBinDir;

  @Option(names = "--read-only-rootfs", description = "Mount every sandbox's root filesystem read-only.")
  boolean readOnlyRootfs;

  @Option(names = "--cni-subnet", defaultValue = "10.88.64.0/18",
      description = "IPv4 subnet of the CNI bridge (--network cni): one address per sandbox (default: "
          + "${DEFAULT-VALUE}).")
  String cniSubnet;

  @Option(names = "--cni-ip-masq", defaultValue = "true", arity = "1",
      description = "Masquerade sandbox traffic leaving the CNI subnet, so sandboxes reach other hosts "
          + "(default: ${DEFAULT-VALUE}).")
  boolean cniIpMasq;

  @Option(names = "--pool-members", defaultValue = "0",
      description = "Sandboxes this worker may hold created but not started for functions with scaling.prewarm, "
          + "all pools together (containerd runtime, simulated by the fake one; 0: no pools) "
          + "(default: ${DEFAULT-VALUE}).")
  int poolMembers;

  @Option(names = "--pool-memory-mib", defaultValue = "1024",
      description = "Memory (their specs' memoryMiB) the pools may hold together; kept out of the capacity the "
          + "worker advertises while --pool-members is above 0 (default: ${DEFAULT-VALUE}).")
  long poolMemoryMiB;

  @Option(names = "--oci-runtime", defaultValue = "auto",
      description = "OCI runtime containerd's runc shim drives for the sandboxes: runc, crun, or auto (default: crun"
          + " where it can run here, else runc). The worker refuses to start when the one named cannot run here (not"
          + " installed; crun on a hybrid cgroup hierarchy whose v2 mount holds controllers).")
  String ociRuntime;

  ContainerdOptions options() {
    Map<String, RegistryCredentials.Login> byHost = new HashMap<>();
    logins.forEach(entry -> {
      var parsed = RegistryCredentials.parseEntry(entry);
      byHost.put(parsed.getKey(), parsed.getValue());
    });
    return new ContainerdOptions(socket, namespace, network, Set.copyOf(insecureRegistries), cniBinDir,
        readOnlyRootfs, new RegistryCredentials(byHost)).withCni(cniSubnet, cniIpMasq)
        .withPool(new PoolBudget(poolMembers, poolMemoryMiB)).withOciRuntime(OciRuntime.choose(ociRuntime));
  }
}
