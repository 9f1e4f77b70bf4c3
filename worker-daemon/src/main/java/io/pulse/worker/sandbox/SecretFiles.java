package io.pulse.worker.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Writes a sandbox's secrets as files: a {@code 0700} directory of {@code 0400} files, one per secret. */
public final class SecretFiles {

  private SecretFiles() {}

  /** Blocking. Makes {@code dir} and writes every secret there; a name is never followed outside it. */
  public static Path write(Path dir, List<SecretFile> secrets) throws IOException {
    PrivateFiles.directory(dir);
    for (SecretFile secret : secrets) {
      Path file = dir.resolve(secret.name());
      // Created owner-only (never readable by others, not even for an instant), then made read-only.
      Files.write(file, secret.value(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    }
    return dir;
  }

  /** Blocking. Removes a directory {@link #write} made, with its files; a missing directory is fine. */
  public static void remove(Path dir) throws IOException {
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(dir);
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }
}
