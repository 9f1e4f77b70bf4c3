package io.pulse.controlplane.routes;

/**
 * A new leader refuses route streams until it has heard what the workers run: its first table must not tell data
 * planes to forget endpoints that still serve. The data plane keeps its cached table and reconnects in a moment.
 */
public final class RoutesNotOpenException extends RuntimeException {

  public RoutesNotOpenException() {
    super("new leader rebuilding its state from workers; retry in a moment", null, false, false);
  }
}
