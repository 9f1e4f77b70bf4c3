package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.WorkerRef;

/** Headroom held on one worker for one Emergency Instance, from placement until its deletion completes. */
public record Reservation(WorkerRef worker, int cpuMillis, int memoryMiB) {}
