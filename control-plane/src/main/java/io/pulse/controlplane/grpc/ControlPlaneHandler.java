package io.pulse.controlplane.grpc;

/**
 * Everything the ControlPlaneService needs behind it, as the sum of its narrow ports (one per capability); the
 * service holds each port by itself, so an implementation may serve one capability without the others. Every method
 * is called on the control plane's context.
 */
public interface ControlPlaneHandler
    extends WorkerRegistrations, LoadReports, StatusReports, RouteWatching, BridgeReservations {}
