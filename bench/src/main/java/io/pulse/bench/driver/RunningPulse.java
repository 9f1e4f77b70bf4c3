package io.pulse.bench.driver;

/** A Pulse an experiment talks to. Closing stops it if the launcher started it. */
public interface RunningPulse extends AutoCloseable {

  /** Control-plane REST API, e.g. {@code http://127.0.0.1:9090}. */
  String apiUrl();

  /** Data-plane gateway, e.g. {@code http://127.0.0.1:8080}. */
  String gatewayUrl();

  /** Control-plane gRPC address ({@code host:port}), for simulated workers; null when not known. */
  default @org.jspecify.annotations.Nullable String controlPlaneGrpc() {
    return null;
  }

  /**
   * The REST API's bearer token; by default {@code $PULSE_API_TOKEN}, else the first line of {@code ~/.pulse/api-token}
   * (what {@code pulse up} writes), else null.
   */
  default @org.jspecify.annotations.Nullable String apiToken() {
    String env = System.getenv("PULSE_API_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("user.home"), ".pulse", "api-token");
    try {
      return java.nio.file.Files.isReadable(file)
          ? java.nio.file.Files.readAllLines(file).stream().findFirst().map(String::strip).orElse(null) : null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * What this Pulse logged at WARN and ERROR since it started; null when the launcher cannot see its log (a cluster
   * someone else runs).
   */
  default @org.jspecify.annotations.Nullable LoggedProblems loggedProblems() {
    return null;
  }

  @Override
  void close();

  /** A cluster someone else runs: closing leaves it alone. */
  static RunningPulse existing(String apiUrl, String gatewayUrl) {
    return new RunningPulse() {
      @Override
      public String apiUrl() {
        return apiUrl;
      }

      @Override
      public String gatewayUrl() {
        return gatewayUrl;
      }

      @Override
      public void close() {}
    };
  }
}
