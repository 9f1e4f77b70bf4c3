package io.pulse.controlplane.routes;

/**
 * What Regular Instances hold on one worker, as data planes see it: the resources they reserve (the expedited track's
 * headroom) and how many are being created there now (pending). Creations on a worker slow each other down, whoever
 * asked for them; a data plane counts these beside its own Emergency creations when it expects how long one takes.
 */
public record WorkerLoad(int cpuMillis, int memoryMiB, int creating) {

  /** A worker that holds nothing. */
  public static final WorkerLoad NOTHING = new WorkerLoad(0, 0, 0);
}
