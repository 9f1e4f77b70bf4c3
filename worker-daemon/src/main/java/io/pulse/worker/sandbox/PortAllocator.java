package io.pulse.worker.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Hands out the host ports of a range, each to one sandbox at a time (process sandboxes, host-network containers). A
 * port is handed out only if it can be bound right now, because other programs on the machine use ports too. The
 * cursor walks the range round-robin so that a port just released (maybe in TIME_WAIT, maybe still held by a dying
 * process) is the last to be reused. Thread-safe; the bind check runs outside the lock.
 */
public final class PortAllocator {

  private final int start;
  private final int end;
  private final Set<Integer> inUse = new HashSet<>();
  private int cursor;

  /** The ports {@code start..end}, both included. */
  public PortAllocator(int start, int end) {
    if (start < 1 || end > 65_535 || end < start) {
      throw new IllegalArgumentException("port range needs 1 <= start <= end <= 65535, got " + start + ".." + end);
    }
    this.start = start;
    this.end = end;
    this.cursor = start;
  }

  /** A free, bindable port, or empty when the whole range is taken. */
  public OptionalInt allocate() {
    int size = end - start + 1;
    for (int attempt = 0; attempt < size; attempt++) {
      OptionalInt candidate = reserveNext();
      if (candidate.isEmpty()) {
        return candidate;
      }
      // The bind check happens outside the lock: the port is already reserved, nobody else gets it meanwhile.
      if (canBind(candidate.getAsInt())) {
        return candidate;
      }
      release(candidate.getAsInt());
    }
    return OptionalInt.empty();
  }

  /** Marks a port as used by a re-adopted sandbox. */
  public synchronized void claim(int port) {
    inUse.add(port);
  }

  public synchronized void release(int port) {
    inUse.remove(port);
  }

  public synchronized int inUseCount() {
    return inUse.size();
  }

  private synchronized OptionalInt reserveNext() {
    int size = end - start + 1;
    for (int i = 0; i < size; i++) {
      int port = cursor;
      cursor = cursor == end ? start : cursor + 1;
      if (inUse.add(port)) {
        return OptionalInt.of(port);
      }
    }
    return OptionalInt.empty();
  }

  /** Binding the wildcard address fails if anything listens on the port on any local address. */
  static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
