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
 */
public final class CniBridge {

  private static final long PLUGIN_TIMEOUT_S = 30;
  private static final String IFNAME = "eth0";

  private final Path binDir;
  private final String network;
  private final String bridgeName;
  private final String subnet;
  private final Path ipamDir;

  public CniBridge(Path binDir, String network, String bridgeName, String subnet, Path ipamDir) {
    this.binDir = binDir;
    this.network = network;
    this.bridgeName = bridgeName;
    this.subnet = subnet;
    this.ipamDir = ipamDir;
    if (!Files.isExecutable(binDir.resolve("bridge")) || !Files.isExecutable(binDir.resolve("host-local"))) {
      throw new IllegalArgumentException("cniBinDir " + binDir + " lacks the bridge and host-local plugins "
          + "(apt-get install containernetworking-plugins)");
    }
  }

  /** Attaches the network namespace at {@code netns} and returns the sandbox's IPv4 address. */
  public String add(String containerId, String netns) {
    JsonObject result = run("ADD", containerId, netns);
    JsonArray ips = result.getJsonArray("ips", new JsonArray());
    for (int i = 0; i < ips.size(); i++) {
      String address = ips.getJsonObject(i).getString("address", "");
      if (address.contains(".")) {
        return address.substring(0, address.indexOf('/'));
      }
    }
    throw new CniException("CNI ADD for " + containerId + " returned no IPv4 address: " + result.encode());
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
