package io.pulse.dataplane.proxy;

import io.pulse.dataplane.routing.Instance;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Decides, for a request head the byte-level forwarder could carry, whether it may: the function is routed, the
 * request is a plain synchronous invocation, and a Regular slot is free now. Never parks: when the answer is null the
 * request goes to the full (Vert.x) path, which does everything else (404, 413, queueing, the expedited track).
 */
@FunctionalInterface
public interface RawAdmission {

  /**
   * What a granted request needs: where it goes, its end-to-end limit, and the accounting's end. {@code ended} is told
   * once how the exchange ended; a {@link Exchanged#refused() refused} one was not answered and is handed over.
   */
  record Granted(String function, Instance instance, String uri, long timeoutMillis, Consumer<Exchanged> ended) {}

  /** A slot and the accounting for it, or null: hand the request over. Called on the connection's event loop. */
  @Nullable Granted admit(String method, String host, String target, long contentLength);
}
