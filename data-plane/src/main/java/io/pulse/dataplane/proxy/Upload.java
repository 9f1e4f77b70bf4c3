package io.pulse.dataplane.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import org.jspecify.annotations.Nullable;

/**
 * The caller's body on its way to the instance, with back-pressure. Until a byte of it has gone it can be sent to
 * another attempt instead ({@link #replayable}): nothing is buffered for that, the caller's stream is pointed at the
 * new request. Confined to the request's event loop.
 */
final class Upload {

  private final HttpServerRequest from;
  private final Runnable broken;
  private @Nullable HttpClientRequest to;
  private boolean started;
  private boolean bodySent;
  private boolean ended;

  /** {@code broken} runs if the caller's upload breaks: the instance must then see a broken request, not a short one. */
  Upload(HttpServerRequest from, Runnable broken) {
    this.from = from;
    this.broken = broken;
  }

  /** Whether no byte of the body has gone to an instance yet. */
  boolean replayable() {
    return !bodySent;
  }

  /** Whether the caller's body has ended and its end went to the current attempt. */
  boolean ended() {
    return ended && to != null;
  }

  /** Holds the body back until {@link #sendTo} names the next attempt. Only while {@link #replayable}. */
  void hold() {
    to = null;
    if (!ended) {
      from.pause();
    }
  }

  /** Sends the body (the rest of it, or its end) to {@code target}. */
  void sendTo(HttpClientRequest target) {
    to = target;
    if (!started) {
      started = true;
      ended = from.isEnded(); // ended already: the request's handlers may no longer be set
      if (!ended) {
        from.handler(this::forward);
        from.endHandler(v -> end());
        from.exceptionHandler(e -> broken.run());
      }
    }
    if (ended) {
      target.end();
    } else {
      from.resume();
    }
  }

  private void forward(Buffer chunk) {
    HttpClientRequest target = to;
    if (target == null) {
      return; // held: cannot happen while paused, but a dead attempt takes no more bytes either way
    }
    bodySent |= chunk.length() > 0;
    target.write(chunk);
    if (target.writeQueueFull()) {
      from.pause();
      target.drainHandler(v -> {
        if (to == target) {
          from.resume();
        }
      });
    }
  }

  private void end() {
    ended = true;
    if (to != null) {
      to.end();
    }
  }
}
