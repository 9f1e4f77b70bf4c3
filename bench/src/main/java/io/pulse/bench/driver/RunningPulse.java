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
