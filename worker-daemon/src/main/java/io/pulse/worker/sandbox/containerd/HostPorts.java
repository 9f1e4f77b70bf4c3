package io.pulse.worker.sandbox.containerd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Ports of a range for host-network sandboxes, each held by one sandbox. A port is handed out only when it can be
 * bound now; the cursor walks round-robin so a just-released port is reused last.
 */
final class HostPorts {

  private final int start;
  private final int end;
  private final Set<Integer> used = new HashSet<>();
  private int cursor;

  HostPorts(int start, int end) {
    this.start = start;
    this.end = end;
    this.cursor = start;
  }

  OptionalInt allocate() {
    for (int attempt = 0; attempt <= end - start; attempt++) {
      OptionalInt port = next();
      if (port.isEmpty()) {
        return port;
      }
      if (bindable(port.getAsInt())) {
        return port;
      }
      release(port.getAsInt());
    }
    return OptionalInt.empty();
  }

  synchronized void claim(int port) {
    used.add(port);
  }

  synchronized void release(int port) {
    used.remove(port);
  }

  private synchronized OptionalInt next() {
    for (int i = 0; i <= end - start; i++) {
      int port = cursor;
      cursor = cursor == end ? start : cursor + 1;
      if (used.add(port)) {
        return OptionalInt.of(port);
      }
    }
    return OptionalInt.empty();
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
