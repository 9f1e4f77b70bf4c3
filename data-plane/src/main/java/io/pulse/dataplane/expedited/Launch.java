package io.pulse.dataplane.expedited;

/** How the creation of an Emergency Instance ended. */
public sealed interface Launch {

  /** Ready: the request may go to it. */
  record Launched(EmergencyInstance instance) implements Launch {}

  /**
   * Not ready.
   *
   * @param code the worker's gRPC status code ({@code DEADLINE_EXCEEDED} when cut short)
   * @param detail the worker's own words (a function's last log lines, perhaps): for the failure notes only
   * @param cutShort the request's deadline came first
   */
  record Failed(String instanceId, String workerId, String code, String detail, boolean cutShort) implements Launch {}
}
