package io.pulse.worker.sandbox;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories ({@code 0700}) and files ({@code 0600}) only the worker's user can read. Instance logs hold whatever a
 * function prints, secrets included, so they get the same protection as the API token.
 */
public final class PrivateFiles {

  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Makes {@code dir} (and missing parents) and sets it to {@code 0700}, also when it existed (older runs: 0755). */
  public static Path directory(Path dir) throws IOException {
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    Files.setPosixFilePermissions(dir, DIRECTORY);
    return dir;
  }

  /** Makes an empty {@code file} with mode {@code 0600}, or sets an existing one to it; the content stays. */
  public static Path file(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } catch (FileAlreadyExistsException e) {
      Files.setPosixFilePermissions(file, FILE);
    }
    return file;
  }

  /** Removes {@code dir} and everything under it; nothing when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
