package io.pulse.k8sbridge.reservations;

/** What non-Pulse pods request on one physical host (host name as the workers report it). */
public record HostReservation(String hostname, int cpuMillis, int memoryMiB) {}
