package io.pulse.controlplane.routes;

/** One subscriber's stream, as the publisher needs it. Called only from the publisher's context. */
public interface RouteSink {

  /** The data plane at the other end (acknowledgements name it). */
  String dataPlaneId();

  /** False while the transport still holds earlier messages (flow control); the publisher then skips and resyncs. */
  boolean isReady();

  /** Sends a change, or a full snapshot, tagged with the publisher's version of the state it leads to. */
  void send(RouteDelta delta, long version);

  /** Ends the stream normally. */
  void close();
}
