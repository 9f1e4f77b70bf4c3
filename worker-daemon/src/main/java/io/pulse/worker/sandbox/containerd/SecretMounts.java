package io.pulse.worker.sandbox.containerd;

import io.pulse.worker.sandbox.PrivateFiles;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxException.Reason;
import io.pulse.worker.sandbox.SecretFile;
import io.pulse.worker.sandbox.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of containerd sandboxes' secrets: one {@code 0700} directory of {@code 0400} files per sandbox under
 * {@code root} (the namespace's), which must be a tmpfs so that no value is ever written to a disk. The first write
 * makes sure it is one, mounting a small tmpfs on {@code root} when it is on a disk (containerd workers run as root);
 * when that fails, every write fails saying why. Workers that never see a secret mount nothing.
 */
final class SecretMounts {

  private static final Logger LOG = LoggerFactory.getLogger(SecretMounts.class);
  /** A cap, not a reservation: 16 secrets of at most 32 KiB each for 512 sandboxes. */
  private static final String TMPFS_OPTIONS = "mode=0700,size=256m,nosuid,nodev,noexec";

  private final Path root;
  /** Runs once, by the first writer; the others wait for its outcome: why secrets cannot be delivered, or null. */
  private final AtomicReference<FutureTask<@Nullable String>> prepared = new AtomicReference<>();

  SecretMounts(Path root) {
    this.root = root;
  }

  Path dir(String instanceId) {
    return root.resolve(instanceId);
  }

  /** Blocking. Why this worker cannot deliver secrets, or null when {@code root} is a private tmpfs. */
  private @Nullable String prepare() {
    FutureTask<@Nullable String> task = prepared.get();
    if (task == null) {
      FutureTask<@Nullable String> mine = new FutureTask<>(this::mountOnce);
      task = prepared.compareAndSet(null, mine) ? mine : prepared.get();
      task.run();
    }
    try {
      return task.get();
    } catch (ExecutionException e) {
      return "secrets directory " + root + ": " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while preparing the secrets directory";
    }
  }

  private @Nullable String mountOnce() {
    String problem;
    try {
      PrivateFiles.directory(root);
      if (!tmpfs(root)) {
        mountTmpfs();
      }
      if (!tmpfs(root)) {
        problem = "secrets directory " + root + " is not on a tmpfs and mounting one failed; secrets are never "
            + "written to disk";
      } else {
        PrivateFiles.directory(root);
        return null;
      }
    } catch (IOException e) {
      problem = "secrets directory " + root + ": " + e.getMessage();
    }
    LOG.atWarn().setMessage("sandboxes with secrets will be refused").addKeyValue("error", problem).log();
    return problem;
  }

  /**
   * Blocking. Writes one sandbox's secrets (replacing what a crashed creation of the same id left), owned by the
   * sandbox's user so that a function running as a non-root uid can read them.
   */
  Path write(String instanceId, List<SecretFile> secrets, int uid, int gid) throws IOException {
    String why = prepare();
    if (why != null) {
      throw new SandboxException(Reason.UNAVAILABLE, why);
    }
    Path dir = dir(instanceId);
    SecretFiles.remove(dir);
    SecretFiles.write(dir, secrets);
    if (uid != 0 || gid != 0) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path file : files) {
          chown(file, uid, gid);
        }
      }
      chown(dir, uid, gid);
    }
    return dir;
  }

  /** Blocking. Removes one sandbox's secrets; logs (never throws) when that fails. */
  void remove(String instanceId) {
    try {
      SecretFiles.remove(dir(instanceId));
    } catch (IOException e) {
      LOG.atWarn().setMessage("could not remove a sandbox's secrets").addKeyValue("instance", instanceId)
          .addKeyValue("error", e.getMessage()).log();
    }
  }

  /** Blocking. Removes the secrets of every sandbox not in {@code keep}: creations or deletions a crash cut short. */
  void removeAllBut(Set<String> keep) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        String id = dir.getFileName().toString();
        if (!keep.contains(id)) {
          LOG.atInfo().setMessage("removing leftover secrets").addKeyValue("instance", id).log();
          remove(id);
        }
      }
    } catch (IOException e) {
      LOG.atWarn().setMessage("could not list leftover secrets").addKeyValue("dir", root)
          .addKeyValue("error", e.getMessage()).log();
    }
  }

  private static void chown(Path path, int uid, int gid) throws IOException {
    Files.setAttribute(path, "unix:uid", uid);
    Files.setAttribute(path, "unix:gid", gid);
  }

  private static boolean tmpfs(Path dir) throws IOException {
    return Files.getFileStore(dir).type().equals("tmpfs");
  }

  private void mountTmpfs() {
    try {
      Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", TMPFS_OPTIONS, "tmpfs", root.toString())
          .redirectErrorStream(true).start();
      String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int status = mount.waitFor();
      LOG.atInfo().setMessage("mount of a tmpfs for secrets").addKeyValue("dir", root).addKeyValue("status", status)
          .addKeyValue("output", output).log();
    } catch (IOException e) {
      LOG.atWarn().setMessage("cannot run mount").addKeyValue("error", e.getMessage()).log();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
