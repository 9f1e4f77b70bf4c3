package io.pulse.worker.sandbox.containerd;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The OCI runtime binary containerd's runc shim ({@code io.containerd.runc.v2}) drives for our sandboxes: {@code runc}
 * or {@code crun}, which speak the same command line. The shim takes it from the container's runtime options
 * ({@code containerd.runc.v1.Options}, field 6 {@code binary_name}); runc, the shim's own default, needs none. The
 * default is crun wherever it can run ({@link #detect}): it creates and starts a sandbox in less time (docs/benchmarks.md,
 * "crun").
 */
public enum OciRuntime {
  RUNC("runc"),
  CRUN("crun");

  /** The options message's type, as containerd registers it (no {@code type.googleapis.com/} prefix). */
  static final String OPTIONS_TYPE_URL = "containerd.runc.v1.Options";
  private static final int BINARY_NAME_FIELD = 6;
  private static final Path UNIFIED_CONTROLLERS = Path.of("/sys/fs/cgroup/unified/cgroup.controllers");

  private final String binary;

  OciRuntime(String binary) {
    this.binary = binary;
  }

  public String binary() {
    return binary;
  }

  /** crun where it can run here, else runc. */
  public static OciRuntime detect() {
    return CRUN.unusableBecause().isEmpty() ? CRUN : RUNC;
  }

  /** {@code auto} ({@link #detect}), {@code runc} or {@code crun}; anything else is refused naming the choices. */
  public static OciRuntime choose(String name) {
    return "auto".equals(name) ? detect() : parse(name);
  }

  /** {@code runc} or {@code crun}; anything else is refused naming the choices. */
  public static OciRuntime parse(String name) {
    for (OciRuntime runtime : values()) {
      if (runtime.binary.equals(name)) {
        return runtime;
      }
    }
    throw new IllegalArgumentException("ociRuntime must be auto, runc or crun, was '" + name + "'");
  }

  /** The container's runtime options: none for runc (the shim's default), the binary name for the others. */
  Optional<Any> shimOptions() {
    if (this == RUNC) {
      return Optional.empty();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeString(BINARY_NAME_FIELD, binary);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return Optional.of(Any.newBuilder().setTypeUrl(OPTIONS_TYPE_URL).setValue(ByteString.copyFrom(bytes.toByteArray()))
        .build());
  }

  /**
   * Why this runtime cannot run sandboxes on this host, or empty. Checked when the worker starts, so that a worker
   * that cannot work says so at once instead of failing every creation: the binary must be on the PATH (the shim
   * looks it up there), and crun refuses a hybrid cgroup hierarchy whose cgroup v2 mount holds controllers.
   */
  public Optional<String> unusableBecause(List<Path> path, Path unifiedControllers) {
    boolean found = path.stream().anyMatch(dir -> Files.isExecutable(dir.resolve(binary)));
    if (!found) {
      return Optional.of(binary + " is not on the PATH (" + path + "); install it or choose --oci-runtime "
          + (this == RUNC ? "crun" : "runc"));
    }
    if (this == CRUN && Files.isReadable(unifiedControllers)) {
      try {
        String controllers = Files.readString(unifiedControllers).trim();
        if (!controllers.isEmpty()) {
          return Optional.of("crun refuses this host's hybrid cgroup hierarchy: the cgroup v2 mount ("
              + unifiedControllers.getParent() + ") holds controllers [" + controllers + "]; mount them as cgroup"
              + " v1 hierarchies (e.g. mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb), boot with cgroup"
              + " v2 alone, or choose --oci-runtime runc");
        }
      } catch (IOException e) {
        return Optional.empty(); // unreadable: let the first creation say what is wrong
      }
    }
    return Optional.empty();
  }

  /** As above, against this process's PATH and the usual hybrid mount point. */
  public Optional<String> unusableBecause() {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    return unusableBecause(java.util.Arrays.stream(path.split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList(),
        UNIFIED_CONTROLLERS);
  }
}
