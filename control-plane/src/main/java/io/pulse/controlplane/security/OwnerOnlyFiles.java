package io.pulse.controlplane.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner may read: the API token, the secrets key. */
public final class OwnerOnlyFiles {

  private OwnerOnlyFiles() {}

  /**
   * Blocking. Writes {@code content} to {@code file} with mode 0600 (its directory, when made here, 0700) unless the
   * file exists; answers whether this call made it. Concurrent callers (replicas starting together over one file)
   * agree: the file appears at once, complete, or not at all. {@code what} names the file in errors.
   */
  public static boolean createIfAbsent(Path file, String content, String what) {
    if (Files.exists(file)) {
      return false;
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
            "rwx------")));
      }
      Path temp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, content);
        try {
          Files.createLink(file, temp); // atomic, and fails when another process made the file first
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the " + what + " " + file + ": " + e.getMessage(), e);
    }
  }
}
