package io.pulse.dataplane.routing;

/** One ready instance of a function: where to send its requests. */
public record Instance(String id, String host, int port, String workerId) {

  public Instance {
    if (id.isBlank()) {
      throw new IllegalArgumentException("instance.id must not be empty");
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("instance.endpoint.host must not be empty (instance " + id + ")");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("instance.endpoint.port must be in 1..65535 (instance " + id + "), was "
          + port);
    }
  }

  /** {@code id@host:port}, the way errors name an instance. */
  public String describe() {
    return id + "@" + host + ":" + port;
  }
}
