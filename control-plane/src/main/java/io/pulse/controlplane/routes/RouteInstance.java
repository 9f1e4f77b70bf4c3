package io.pulse.controlplane.routes;

import io.pulse.common.net.HostPort;

/** One ready instance a data plane may send requests to. */
public record RouteInstance(String instanceId, HostPort endpoint, String workerId) {}
