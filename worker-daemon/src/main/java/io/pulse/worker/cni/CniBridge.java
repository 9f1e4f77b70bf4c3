package io.pulse.worker.cni;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One bridge network: every sandbox gets a veth on bridge {@code bridgeName} and an address of {@code subnet} from
 * host-local IPAM. Blocking (forks the plugin): call from virtual threads. Thread-safe: host-local locks its own store.
 *
 * <p>Masquerading (so that sandboxes reach other hosts) is one iptables rule for the whole subnet, added once, not
 * the bridge plugin's own {@code ipMasq}: the plugin keeps a chain per sandbox that it can only remove when DEL gets
 * the sandbox's network namespace, which is gone once the sandbox's process has exited, so every sandbox that died by
 * itself would leak its chain.
 */
public final class CniBridge {

  private static final long PLUGIN_TIMEOUT_S = 30;
  private static final String IFNAME = "eth0";

  private final Path binDir;
  private final String network;
  private final String bridgeName;
  private final String subnet;
  private final boolean ipMasq;
  private final Path ipamDir;

  /**
   * @param network the CNI network name (host-local keeps its addresses under {@code ipamDir/network})
   * @param ipMasq masquerade traffic that leaves the subnet (the bridge plugin adds and removes the iptables rules)
   */
  public CniBridge(Path binDir, String network, String bridgeName, String subnet, boolean ipMasq, Path ipamDir) {
    this.binDir = binDir;
    this.ipMasq = ipMasq;
    this.network = network;
    this.bridgeName = bridgeName;
    this.subnet = subnet;
    this.ipamDir = ipamDir;
    if (!Files.isExecutable(binDir.resolve("bridge")) || !Files.isExecutable(binDir.resolve("host-local"))) {
      throw new IllegalArgumentException("cniBinDir " + binDir + " lacks the bridge and host-local plugins "
          + "(apt-get install containernetworking-plugins)");
    }
  }

  /** The CNI network name of a containerd namespace's sandboxes (host-local keeps its store under this name). */
  public static String networkName(String namespace) {
    return "pulse-" + namespace;
  }

  /** The Linux bridge of a containerd namespace's sandboxes: {@code pulse-} and the namespace's [a-z0-9], 15 at most. */
  public static String bridgeName(String namespace) {
    String name = "pulse-" + namespace.replaceAll("[^a-z0-9]", "");
    return name.length() > 15 ? name.substring(0, 15) : name;
  }

  /**
   * The masquerading rule of a network, as iptables arguments after {@code -t nat -A|-C|-D}: one rule for the whole
   * subnet, tagged with a comment naming the network so that an operator (or a test) can find and remove it.
   */
  public static List<String> masqueradeRule(String network, String subnet) {
    return List.of("POSTROUTING", "-s", subnet, "!", "-d", subnet, "-m", "comment", "--comment",
        "pulse " + network, "-j", "MASQUERADE");
  }

  /**
   * Makes sure traffic from the subnet to elsewhere is masqueraded (when {@code ipMasq}): checks for our rule in
   * the nat table's POSTROUTING chain and appends it when missing. Idempotent; call before the first ADD.
   *
   * <p>Nothing removes the rule (nor the bridge) again when the worker stops: sandboxes outlive the daemon on
   * purpose (a restarted worker re-adopts them, see {@code ContainerdSandboxRuntime#recover}), and they keep needing
   * both meanwhile. The rule is one per subnet and re-added idempotently, so it does not pile up; remove it by hand
   * ({@code iptables -t nat -D} with {@link #masqueradeRule}) when retiring a worker for good.
   */
  public void ensureMasquerade() {
    if (!ipMasq) {
      return;
    }
    List<String> rule = masqueradeRule(network, subnet);
    if (iptables("-C", rule) != 0 && iptables("-A", rule) != 0) {
      throw new CniException("cannot add the masquerading rule for " + subnet + " (iptables -t nat -A "
          + String.join(" ", rule) + " failed); install iptables or turn masquerading off");
    }
  }

  private static int iptables(String action, List<String> rule) {
    List<String> command = new java.util.ArrayList<>(List.of("iptables", "-w", "5", "-t", "nat", action));
    command.addAll(rule);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(PLUGIN_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new CniException("cannot run iptables (" + e.getMessage() + "); install iptables or turn masquerading "
          + "off");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException("interrupted while running iptables");
    }
  }

  /** Attaches the network namespace at {@code netns} and returns the sandbox's IPv4 address. */
  public String add(String containerId, String netns) {
    JsonObject result = run("ADD", containerId, netns);
    JsonArray ips = result.getJsonArray("ips", new JsonArray());
    for (int i = 0; i < ips.size(); i++) {
      String address = ips.getJsonObject(i).getString("address", "");
      if (address.contains(".")) {
        String ip = address.substring(0, address.indexOf('/'));
        forgetNeighbour(ip);
        return ip;
      }
    }
    throw new CniException("CNI ADD for " + containerId + " returned no IPv4 address: " + result.encode());
  }

  /**
   * Drops the host's ARP entry for a freshly assigned address. host-local hands addresses out again soon after a
   * sandbox is deleted; the host still maps the address to the old sandbox's MAC and sends the new one's first
   * packets nowhere until the entry expires (5-30 s): a readiness probe then waits that long. Measured on a busy
   * /27: 14 create/delete cycles in 30 s without this, 436 with the table flushed. Best effort: no entry is fine.
   */
  private void forgetNeighbour(String ip) {
    try {
      Process process = new ProcessBuilder("ip", "neigh", "del", ip, "dev", bridgeName).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      // No iproute2: the entry expires by itself, only later.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Detaches and releases the address; {@code netns} may be "" once the namespace is gone. Idempotent. */
  public void del(String containerId, String netns) {
    run("DEL", containerId, netns);
  }

  /** Container ids that hold an address now (from host-local's store), with the address. */
  public Map<String, String> holders() {
    Map<String, String> out = new HashMap<>();
    Path dir = ipamDir.resolve(network);
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!name.matches("[0-9.]+")) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        if (!lines.isEmpty()) {
          out.put(lines.getFirst().strip(), name);
        }
      }
    } catch (IOException e) {
      throw new CniException("cannot read IPAM store " + dir + ": " + e.getMessage());
    }
    return out;
  }

  JsonObject config() {
    return new JsonObject()
        .put("cniVersion", "0.4.0")
        .put("name", network)
        .put("type", "bridge")
        .put("bridge", bridgeName)
        .put("isGateway", true)
        .put("ipMasq", false)
        .put("hairpinMode", true)
        .put("ipam", new JsonObject()
            .put("type", "host-local")
            .put("ranges", new JsonArray().add(new JsonArray().add(new JsonObject().put("subnet", subnet))))
            .put("routes", new JsonArray().add(new JsonObject().put("dst", "0.0.0.0/0")))
            .put("dataDir", ipamDir.toString()));
  }

  private JsonObject run(String command, String containerId, String netns) {
    ProcessBuilder builder = new ProcessBuilder(binDir.resolve("bridge").toString()).redirectErrorStream(false);
    Map<String, String> env = builder.environment();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", IFNAME);
    env.put("CNI_PATH", binDir.toString());
    try {
      Process process = builder.start();
      try (var stdin = process.getOutputStream()) {
        stdin.write(config().encode().getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(PLUGIN_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new CniException("CNI " + command + " for " + containerId + " did not finish in " + PLUGIN_TIMEOUT_S
            + " s");
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new CniException("CNI " + command + " for " + containerId + " failed (exit " + process.exitValue()
            + "): " + text + new String(err, StandardCharsets.UTF_8).strip());
      }
      return text.isEmpty() ? new JsonObject() : new JsonObject(text);
    } catch (IOException e) {
      throw new CniException("CNI " + command + " for " + containerId + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException("CNI " + command + " for " + containerId + " interrupted");
    }
  }

  /** A plugin call that failed, with the plugin's own message. */
  public static final class CniException extends RuntimeException {
    public CniException(String message) {
      super(message);
    }
  }
}
