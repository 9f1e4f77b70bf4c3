package io.pulse.k8sbridge.view;

/**
 * A live worker daemon.
 *
 * @param address host:port of its WorkerService (the host is the worker's advertised address)
 * @param hostname the physical host's name, as the worker reports it
 */
public record WorkerView(String workerId, String address, String hostname, int cpuMillis, int memoryMiB,
    String runtime) {

  /** The host part of {@link #address()} (brackets of an IPv6 literal removed), or the whole address without port. */
  public String addressHost() {
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : address;
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host;
  }
}
