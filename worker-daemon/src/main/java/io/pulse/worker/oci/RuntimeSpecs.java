package io.pulse.worker.oci;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds OCI runtime specs (config.json as runc reads it). Pure: same inputs, same document. */
public final class RuntimeSpecs {

  /** The type URL containerd expects on a container's spec. */
  public static final String TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
  /** What a function may do as root inside its sandbox: own files, bind low ports, switch users; nothing more. */
  static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
      "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_NET_BIND_SERVICE");
  /** Where a sandbox finds its secrets, one file per secret (the path Kubernetes users know, under Pulse's name). */
  public static final String SECRETS_MOUNT = "/var/run/secrets/pulse";
  /** The kernel's default weight: one core's worth (1000m) of shares. */
  private static final long SHARES_PER_CORE = 1024;

  private RuntimeSpecs() {}

  /** cgroup v1 cpu.shares proportional to cpuMillis (1024 per core), at least the kernel's minimum of 2. */
  static long cpuShares(int cpuMillis) {
    return Math.max(2, cpuMillis * SHARES_PER_CORE / 1000);
  }

  public static JsonObject build(SpecInputs in) {
    int[] ids = user(in.user());
    JsonArray caps = new JsonArray(List.copyOf(CAPABILITIES));
    JsonObject process = new JsonObject()
        .put("terminal", false)
        .put("user", new JsonObject().put("uid", ids[0]).put("gid", ids[1]))
        .put("args", new JsonArray(in.args()))
        .put("env", new JsonArray(dedupe(in.env())))
        .put("cwd", in.workingDir().isEmpty() ? "/" : in.workingDir())
        .put("capabilities", new JsonObject().put("bounding", caps).put("effective", caps.copy())
            .put("permitted", caps.copy()))
        .put("rlimits", new JsonArray().add(new JsonObject().put("type", "RLIMIT_NOFILE").put("hard", 4096)
            .put("soft", 4096)))
        .put("noNewPrivileges", true);
    JsonArray namespaces = new JsonArray()
        .add(ns("pid")).add(ns("ipc")).add(ns("uts")).add(ns("mount"));
    if (in.ownNetwork()) {
      namespaces.add(ns("network"));
    }
    JsonObject resources = new JsonObject()
        .put("devices", new JsonArray().add(new JsonObject().put("allow", false).put("access", "rwm")));
    if (in.memoryMiB() > 0) {
      resources.put("memory", new JsonObject().put("limit", in.memoryMiB() * 1024L * 1024L));
    }
    if (in.cpuMillis() > 0) {
      // A weight, not a quota: the worker overcommits CPU (--cpu-overcommit), so cpuMillis is what a sandbox gets
      // under contention; idle cores stay usable (a cold start is not throttled to a quarter core). runc maps shares
      // to cgroup v2 cpu.weight.
      resources.put("cpu", new JsonObject().put("shares", cpuShares(in.cpuMillis())));
    }
    if (in.pidsLimit() > 0) {
      resources.put("pids", new JsonObject().put("limit", in.pidsLimit()));
    }
    JsonObject linux = new JsonObject()
        .put("namespaces", namespaces)
        .put("resources", resources)
        .put("cgroupsPath", in.cgroupsPath())
        .put("maskedPaths", new JsonArray().add("/proc/acpi").add("/proc/kcore").add("/proc/keys")
            .add("/proc/latency_stats").add("/proc/timer_list").add("/proc/timer_stats").add("/proc/sched_debug")
            .add("/proc/scsi").add("/sys/firmware"))
        .put("readonlyPaths", new JsonArray().add("/proc/asound").add("/proc/bus").add("/proc/fs")
            .add("/proc/irq").add("/proc/sys").add("/proc/sysrq-trigger"));
    JsonObject spec = new JsonObject()
        .put("ociVersion", "1.0.2")
        .put("process", process)
        .put("root", new JsonObject().put("path", "rootfs").put("readonly", in.readOnlyRootfs()))
        .put("hostname", in.hostname())
        .put("mounts", mounts(in))
        .put("linux", linux);
    if (!in.annotations().isEmpty()) {
      spec.put("annotations", new JsonObject(new LinkedHashMap<>(in.annotations())));
    }
    return spec;
  }

  private static JsonArray mounts(SpecInputs in) {
    JsonArray mounts = new JsonArray()
        .add(mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"))
        .add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"))
        .add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"))
        .add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"))
        .add(mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"))
        .add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"))
        .add(mount("/run", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=755", "size=16384k"));
    if (in.readOnlyRootfs()) {
      // A read-only root still needs somewhere to write scratch files.
      mounts.add(mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=65536k"));
    }
    if (in.secretsSource() != null) {
      // After /run: in images where /var/run links to /run, the mount point is made inside that tmpfs.
      mounts.add(mount(SECRETS_MOUNT, "bind", in.secretsSource(), "rbind", "ro", "nosuid", "nodev", "noexec"));
    }
    return mounts;
  }

  private static JsonObject mount(String destination, String type, String source, String... options) {
    return new JsonObject().put("destination", destination).put("type", type).put("source", source)
        .put("options", new JsonArray(List.of(options)));
  }

  private static JsonObject ns(String type) {
    return new JsonObject().put("type", type);
  }

  /** Later entries win; order of first appearance is kept. */
  static List<String> dedupe(List<String> env) {
    Map<String, String> byKey = new LinkedHashMap<>();
    for (String entry : env) {
      int eq = entry.indexOf('=');
      String key = eq < 0 ? entry : entry.substring(0, eq);
      byKey.remove(key);
      byKey.put(key, entry);
    }
    return List.copyOf(byKey.values());
  }

  /** {@code uid[:gid]} as numbers; names are refused (resolving them needs the image's /etc/passwd). */
  public static int[] user(String user) {
    if (user.isEmpty() || user.equals("root")) {
      return new int[] {0, 0};
    }
    String[] parts = user.split(":", 2);
    try {
      int uid = Integer.parseInt(parts[0]);
      int gid = parts.length > 1 ? Integer.parseInt(parts[1]) : uid;
      return new int[] {uid, gid};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("image user must be numeric uid[:gid] (or root), was '" + user + "'");
    }
  }
}
