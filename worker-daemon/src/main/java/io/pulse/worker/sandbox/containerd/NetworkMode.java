package io.pulse.worker.sandbox.containerd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sandbox network the containerd runtime uses, and what each can honour. A published image listens on a fixed
 * port (most on 8080): a network namespace per sandbox (CNI) lets every sandbox have it, while the host network can
 * give each sandbox only a port of the worker's range as {@code $PORT}. So {@code auto} picks CNI where the plugins
 * are installed, and the host network refuses a fixed port at once instead of timing out on readiness.
 */
public final class NetworkMode {

  /** Requested by default: CNI when its plugins (and iptables, for masquerading) are there, else the host network. */
  public static final String AUTO = "auto";
  /** Where Debian ({@code containernetworking-plugins}) and upstream CNI releases put the plugins. */
  static final List<Path> CNI_BIN_DIRS = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));
  private static final Logger LOG = LoggerFactory.getLogger(NetworkMode.class);

  private NetworkMode() {
  }

  /**
   * What {@code auto} became.
   *
   * @param network {@code cni} or {@code host}
   * @param cniBinDir where the plugins were found (the configured one when none were)
   * @param why one line for the log
   */
  public record Choice(String network, Path cniBinDir, String why) {
  }

  /**
   * Resolves a requested mode (pure: the file system comes in through {@code executable}). An explicit {@code host}
   * or {@code cni} stays as it is.
   */
  static Choice resolve(String requested, Path cniBinDir, boolean ipMasq, Predicate<Path> executable,
      boolean iptablesFound) {
    if (!requested.equals(AUTO)) {
      return new Choice(requested, cniBinDir, "--network " + requested);
    }
    List<Path> candidates = new ArrayList<>(List.of(cniBinDir));
    CNI_BIN_DIRS.stream().filter(d -> !d.equals(cniBinDir)).forEach(candidates::add);
    Optional<Path> found = candidates.stream()
        .filter(d -> executable.test(d.resolve("bridge")) && executable.test(d.resolve("host-local"))).findFirst();
    if (found.isEmpty()) {
      return new Choice("host", cniBinDir, "no CNI bridge and host-local plugins in " + candidates
          + "; sandboxes share the host network, and a function with a fixed port cannot run here (install"
          + " containernetworking-plugins, or pass --network cni --cni-bin-dir DIR)");
    }
    if (ipMasq && !iptablesFound) {
      return new Choice("host", cniBinDir, "CNI plugins in " + found.get() + " but no iptables for masquerading;"
          + " sandboxes share the host network, and a function with a fixed port cannot run here (install iptables,"
          + " or pass --network cni --cni-ip-masq false)");
    }
    return new Choice("cni", found.get(), "CNI plugins in " + found.get() + ": a network namespace and address per"
        + " sandbox");
  }

  /** {@link #resolve} against this machine, logging the choice of {@code auto}. */
  public static Choice detect(String requested, Path cniBinDir, boolean ipMasq) {
    Choice choice = resolve(requested, cniBinDir, ipMasq, Files::isExecutable, onPath("iptables"));
    if (requested.equals(AUTO)) {
      var line = choice.network().equals("cni") ? LOG.atInfo() : LOG.atWarn();
      line.setMessage("sandbox network chosen").addKeyValue("network", choice.network())
          .addKeyValue("why", choice.why()).log();
    }
    return choice;
  }

  /**
   * Why a spec's port cannot work in a network mode, if it cannot: the host network hands every sandbox its own port
   * of the worker's range, so a process listening on a fixed port would never answer where it is probed (and two
   * sandboxes of one function could not both bind it).
   */
  static Optional<String> refusal(String network, int specPort) {
    if (specPort == 0 || !network.equals("host")) {
      return Optional.empty();
    }
    return Optional.of("the function listens on fixed port " + specPort + ", which this worker's host networking"
        + " cannot give each sandbox (it passes a port of its range as $PORT); run the worker with --network cni"
        + " (containernetworking-plugins installed; the default where they are), or set port 0 and listen on $PORT");
  }

  private static boolean onPath(String command) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    return dirs.stream().filter(d -> !d.isEmpty()).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }
}
