package io.pulse.cli.run;

import io.pulse.cli.client.CliException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a start that failed because a listener could not bind into one line naming the option whose port is taken,
 * instead of a stack trace ending in {@code bind(..) failed: Address already in use}.
 */
final class PortsInUse {

  private PortsInUse() {}

  /**
   * When {@code failure} comes from a port in use, the line to end the command with: which of {@code ports} (option
   * name and port; 0 = any, never taken) is busy on {@code host} now, and what to do.
   */
  static Optional<CliException> explain(RuntimeException failure, String host,
      List<Map.Entry<String, Integer>> ports) {
    if (!boundFailed(failure)) {
      return Optional.empty();
    }
    Map<String, Integer> taken = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> port : ports) {
      if (port.getValue() != 0 && !free(host, port.getValue())) {
        taken.put(port.getKey(), port.getValue());
      }
    }
    String which = taken.isEmpty() ? "a port it needs"
        : String.join(", ", taken.entrySet().stream().map(e -> e.getValue() + " (" + e.getKey() + ")").toList());
    String option = taken.isEmpty() ? "PORT options" : String.join(", ", taken.keySet());
    return Optional.of(new CliException("cannot listen on " + host + ": " + which + " in use (another pulse up, or"
        + " a component on its default port?); stop it or pass " + option + " with another port (0: any free port)"));
  }

  private static boolean boundFailed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean free(String host, int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
