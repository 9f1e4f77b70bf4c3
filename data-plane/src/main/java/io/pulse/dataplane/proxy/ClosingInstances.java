package io.pulse.dataplane.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Instances seen closing a kept-alive connection after an answer without saying so (busybox {@code httpd} closes every
 * connection). Their requests go on connections of their own, asking for the close: a pooled connection would race
 * the instance's close, and each lost race costs a failed attempt and a second connection (and, for a method that may
 * not go twice, a 502). Instances that keep connections alive keep the pool. One event loop's view, used from it only;
 * bounded, the least recently used forgotten first (an instance id is never reused, so a forgotten one is only
 * learnt again).
 */
final class ClosingInstances {

  static final int MAX_REMEMBERED = 4096;

  private final Map<String, Boolean> closing = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };

  /** Whether {@code instanceId} was seen closing connections. */
  boolean closes(String instanceId) {
    return !closing.isEmpty() && closing.get(instanceId) != null;
  }

  /** {@code instanceId} closed a kept-alive connection before answering the next request on it. */
  void closed(String instanceId) {
    closing.put(instanceId, Boolean.TRUE);
  }
}
