package io.pulse.controlplane.cluster;

/** One replica as the others see it: its name and the {@code host:port} of its gRPC and REST servers. */
public record ReplicaInfo(String id, String grpcAddress, String restAddress) {}
