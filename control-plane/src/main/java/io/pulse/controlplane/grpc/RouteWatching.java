package io.pulse.controlplane.grpc;

import io.pulse.controlplane.routes.RouteSink;

/** Data planes' route streams. Called on the control plane's context. */
public interface RouteWatching {

  /** Starts a route stream: a full snapshot now, deltas after. */
  void watchRoutes(String dataPlaneId, RouteSink sink);

  /** The stream's transport has room again. */
  void routeSinkReady(RouteSink sink);

  /** The data plane applied the route update of this version. */
  void routesApplied(String dataPlaneId, long version);

  /** The stream ended (cancelled by the data plane, or failed). */
  void routeSinkClosed(String dataPlaneId, RouteSink sink);
}
