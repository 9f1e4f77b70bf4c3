package io.pulse.worker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a minimal ustar archive (directories, regular files, symlinks): enough for an OCI layer in tests. */
public final class TarWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public TarWriter dir(String path) {
    header(path.endsWith("/") ? path : path + "/", 0755, 0, '5', "");
    return this;
  }

  public TarWriter file(String path, int mode, byte[] content) {
    header(path, mode, content.length, '0', "");
    out.writeBytes(content);
    pad(content.length);
    return this;
  }

  public TarWriter symlink(String path, String target) {
    header(path, 0777, 0, '2', target);
    return this;
  }

  /** The archive, with its two closing zero blocks. */
  public byte[] finish() {
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private void header(String name, int mode, long size, char type, String link) {
    byte[] h = new byte[512];
    put(h, 0, 100, name);
    put(h, 100, 8, octal(mode, 7));
    put(h, 108, 8, octal(0, 7));
    put(h, 116, 8, octal(0, 7));
    put(h, 124, 12, octal(size, 11));
    put(h, 136, 12, octal(1_700_000_000L, 11));
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    put(h, 157, 100, link);
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 8, octal(sum, 6) + "\0 ");
    out.writeBytes(h);
  }

  private void pad(long size) {
    int rest = (int) (size % 512);
    if (rest != 0) {
      out.writeBytes(new byte[512 - rest]);
    }
  }

  private static String octal(long value, int digits) {
    String s = Long.toOctalString(value);
    return "0".repeat(Math.max(0, digits - s.length())) + s;
  }

  private static void put(byte[] h, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > length) {
      throw new IllegalArgumentException("tar field too long: " + value);
    }
    System.arraycopy(bytes, 0, h, offset, bytes.length);
  }

  static void copy(byte[] bytes, OutputStream to) throws IOException {
    to.write(bytes);
  }
}
