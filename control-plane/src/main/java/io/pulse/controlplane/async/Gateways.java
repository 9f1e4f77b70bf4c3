package io.pulse.controlplane.async;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateways of the data planes whose route streams this replica serves (so, on the leader, every connected data
 * plane that gave one): where the dispatcher sends async invocations. Thread-safe.
 */
public final class Gateways {

  private record Entry(String url, Object stream) {}

  private final Map<String, Entry> byDataPlane = new ConcurrentHashMap<>();

  /** A route stream of {@code dataPlaneId} opened; {@code stream} tells it from a later one of the same data plane. */
  public void opened(String dataPlaneId, String url, Object stream) {
    if (!url.isEmpty()) {
      byDataPlane.put(dataPlaneId, new Entry(url, stream));
    }
  }

  /** That stream ended (a newer stream of the same data plane stays). */
  public void closed(String dataPlaneId, Object stream) {
    byDataPlane.computeIfPresent(dataPlaneId, (id, entry) -> entry.stream() == stream ? null : entry);
  }

  /** The known gateway URLs, sorted (the dispatcher takes them in turn). */
  public List<String> urls() {
    return byDataPlane.values().stream().map(Entry::url).sorted().distinct().toList();
  }
}
