package io.pulse.worker.testing;

import io.pulse.worker.cni.CniBridge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host network state a containerd worker in CNI mode creates outside any temporary directory and keeps on purpose
 * when it stops (see {@code ContainerdSandboxRuntime#close}): one Linux bridge {@code pulse-<namespace>} and one
 * masquerading rule per subnet in {@code nat POSTROUTING}. Everything else of CNI mode goes away by itself or lives
 * under the worker's data directory (host-local's address store), and the worker names no network namespaces (it
 * hands CNI {@code /proc/<pid>/ns/net}, which ends with the task).
 *
 * <p>A test harness takes a {@link #snapshot()} when it starts and, when it stops, removes what
 * {@link #removeCreatedSince} finds: the bridges and rules of the given containerd namespaces that were not there
 * before. Both conditions must hold, so that a worker of the machine itself (or another test's, started earlier) that
 * uses a namespace of the same name keeps its network.
 */
public final class HostNetworkState {

  private static final Pattern RULE = Pattern.compile(
      "^-A POSTROUTING -s (\\S+) .*--comment \"?pulse (\\S+?)\"? .*-j MASQUERADE$");
  private static final long TOOL_TIMEOUT_S = 30;

  /** The bridges named {@code pulse-*} and the masquerading rules tagged {@code pulse <network>}, at one moment. */
  public record Snapshot(Set<String> bridges, Set<Rule> rules) {
    public Snapshot {
      bridges = Set.copyOf(bridges);
      rules = Set.copyOf(rules);
    }
  }

  /** A masquerading rule of ours: the network named in its comment and its subnet. */
  public record Rule(String network, String subnet) {
    List<String> arguments() {
      return CniBridge.masqueradeRule(network, subnet);
    }
  }

  private HostNetworkState() {}

  /** What exists now. Without {@code ip} or {@code iptables} on the machine, that part is empty. */
  public static Snapshot snapshot() {
    Set<String> bridges = new LinkedHashSet<>();
    for (String line : run(List.of("ip", "-o", "link", "show", "type", "bridge")).lines().toList()) {
      // "5: pulse-pulse: <NO-CARRIER,...> mtu 1500 ..."
      String[] parts = line.split(":\\s+", 3);
      if (parts.length >= 2) {
        String name = parts[1].split("@")[0].strip();
        if (name.startsWith("pulse-")) {
          bridges.add(name);
        }
      }
    }
    Set<Rule> rules = new LinkedHashSet<>();
    for (String line : run(List.of("iptables", "-w", "5", "-t", "nat", "-S", "POSTROUTING")).lines().toList()) {
      Matcher m = RULE.matcher(line.strip());
      if (m.matches()) {
        rules.add(new Rule(m.group(2), m.group(1)));
      }
    }
    return new Snapshot(bridges, rules);
  }

  /**
   * Removes the bridges and masquerading rules of {@code namespaces} (containerd namespaces a test's workers used)
   * that are not in {@code before}; every copy of such a rule, since {@code -C} then {@code -A} from two workers can
   * race. Returns what it removed, and throws naming what it could not.
   */
  public static List<String> removeCreatedSince(Snapshot before, Set<String> namespaces) {
    Snapshot now = snapshot();
    List<String> removed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String namespace : namespaces) {
      String bridge = CniBridge.bridgeName(namespace);
      if (now.bridges().contains(bridge) && !before.bridges().contains(bridge)) {
        if (exit(List.of("ip", "link", "del", bridge)) == 0) {
          removed.add("bridge " + bridge);
        } else {
          failed.add("bridge " + bridge);
        }
      }
      String network = CniBridge.networkName(namespace);
      for (Rule rule : now.rules()) {
        if (!rule.network().equals(network) || before.rules().contains(rule)) {
          continue;
        }
        List<String> delete = new ArrayList<>(List.of("iptables", "-w", "5", "-t", "nat", "-D"));
        delete.addAll(rule.arguments());
        int copies = 0;
        while (copies < 16 && exit(delete) == 0) {
          copies++;
        }
        if (copies > 0) {
          removed.add("nat rule " + String.join(" ", rule.arguments()));
        } else {
          failed.add("nat rule " + String.join(" ", rule.arguments()));
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("could not remove host network state a test created: " + failed);
    }
    return removed;
  }

  private static String run(List<String> command) {
    if (ContainerdHarness.which(command.getFirst()).isEmpty()) {
      return "";
    }
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TOOL_TIMEOUT_S + " s");
      }
      return process.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
    }
  }

  private static int exit(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
