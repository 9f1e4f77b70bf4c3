package io.pulse.worker.sandbox.logs;

import io.pulse.worker.sandbox.PrivateFiles;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;

/**
 * Appends stamped lines ({@code 2026-12-03T14:57:42.123Z text}) to {@code file} and, before a line would take the
 * file past {@code maxBytes}, moves it to {@code file.1} (replacing the older one) and starts a new one: at most
 * twice the bound stays on disk, and the newest lines are kept. Used by one thread at a time (its pump); not
 * thread-safe.
 */
public final class RotatingLog implements AutoCloseable {

  /** {@code 2026-12-03T14:57:42.123Z }: fixed width, so a reader can split the stamp off without a parser. */
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z' ")
      .withZone(ZoneOffset.UTC);
  static final int STAMP_LENGTH = 25;
  /** Room for the longest line a pump writes, with its stamp. */
  public static final long MIN_MAX_BYTES = 64 * 1024;
  /** The worker's {@code --log-max-bytes} unless given. */
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path file;
  private final Path rotated;
  private final long maxBytes;
  private final LongSupplier clock;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int buffered;
  private OutputStream out;
  private long size;
  private long stampMillis = Long.MIN_VALUE;
  private byte[] stamp = new byte[0];

  public RotatingLog(Path file, long maxBytes, LongSupplier clock) throws IOException {
    if (maxBytes < MIN_MAX_BYTES) {
      throw new IllegalArgumentException("maxBytes must be at least " + MIN_MAX_BYTES + ", was " + maxBytes);
    }
    this.file = file;
    this.rotated = rotated(file);
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.out = open(file);
    this.size = Files.size(file);
  }

  /** The file the previous generation of {@code file} is moved to. */
  public static Path rotated(Path file) {
    return file.resolveSibling(file.getFileName() + ".1");
  }

  /** Appends {@code bytes[0..length)} as one line, stamped now; the bytes hold no newline. */
  public void line(byte[] bytes, int length) throws IOException {
    long now = clock.getAsLong();
    if (now != stampMillis) {
      stampMillis = now;
      stamp = STAMP.format(java.time.Instant.ofEpochMilli(now)).getBytes(StandardCharsets.US_ASCII);
    }
    long lineBytes = stamp.length + length + 1L;
    if (size > 0 && size + lineBytes > maxBytes) {
      rotate();
    }
    write(stamp, stamp.length);
    write(bytes, length);
    write(new byte[] {'\n'}, 1);
    size += lineBytes;
  }

  /** Makes everything appended so far visible to readers. */
  public void flush() throws IOException {
    if (buffered > 0) {
      out.write(buffer, 0, buffered);
      buffered = 0;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }

  private void write(byte[] bytes, int length) throws IOException {
    if (buffered + length > buffer.length) {
      flush();
    }
    if (length > buffer.length) {
      out.write(bytes, 0, length);
    } else {
      System.arraycopy(bytes, 0, buffer, buffered, length);
      buffered += length;
    }
  }

  private void rotate() throws IOException {
    close();
    Files.move(file, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out = open(file);
    size = 0;
  }

  private static OutputStream open(Path file) throws IOException {
    PrivateFiles.file(file);
    return new FileOutputStream(file.toFile(), true);
  }
}
