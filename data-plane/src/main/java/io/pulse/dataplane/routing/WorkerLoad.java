package io.pulse.dataplane.routing;

/** What Regular Instances reserve on one worker, as the control plane last published it. */
public record WorkerLoad(String workerId, int cpuMillis, int memoryMiB) {}
