package io.pulse.cli.run;

import io.pulse.cli.client.CliException;
import io.pulse.common.net.HostPort;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The values of {@code --control-plane}: the control plane's gRPC addresses, {@code host:port}. A URL is refused with
 * what to pass instead, since the one people reach for is the REST API's ({@code --api} of the client commands),
 * and talking gRPC to it only fails later, deep in HTTP/2.
 */
final class ControlPlaneAddresses {

  static final String OPTION = "--control-plane";
  /** What every refusal ends with: the form expected. */
  private static final String EXPECTED = "pass the control plane's gRPC address as HOST:PORT (its --grpc-port,"
      + " 9091 by default; comma-separated for several replicas)";
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://");

  private ControlPlaneAddresses() {}

  /** Parses every value; the first bad one ends the command with one line naming {@code option} and the value. */
  static List<HostPort> parse(String option, List<String> values) {
    if (values.isEmpty()) {
      throw new CliException(option + " is empty: " + EXPECTED);
    }
    return values.stream().map(String::strip).map(value -> parseOne(option, value)).toList();
  }

  private static HostPort parseOne(String option, String value) {
    if (SCHEME.matcher(value).find()) {
      throw new CliException(option + " takes a gRPC address, not a URL like '" + value + "' (the REST API's URL goes"
          + " to pulse fn --api): " + EXPECTED);
    }
    HostPort address;
    try {
      address = HostPort.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CliException(option + ": '" + value + "' is not HOST:PORT: " + EXPECTED);
    }
    if (address.port() == 0 || address.host().chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
      throw new CliException(option + ": '" + value + "' is not HOST:PORT: " + EXPECTED);
    }
    return address;
  }
}
