package io.pulse.k8sbridge.view;

/** A ready Regular Instance: where it runs and where it listens. */
public record InstanceView(String instanceId, String workerId, String host, int port) {}
