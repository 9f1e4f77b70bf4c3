package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.SandboxTemplate;
import io.pulse.dataplane.routing.WorkerRef;
import io.pulse.common.net.HostPort;
import io.vertx.core.Future;

/** What the expedited track needs from workers: create an Emergency Instance, delete it. */
public interface SandboxCreator {

  /**
   * Creates and starts the sandbox; completes with its endpoint once it accepts connections. Waits at most
   * {@code timeoutMillis}: then it fails with {@link CreationCutShort} (and the worker may still hold the sandbox).
   */
  Future<HostPort> create(WorkerRef worker, String instanceId, SandboxTemplate template, long timeoutMillis);

  /** Deletes the sandbox; completes (never fails) once the worker answered or gave up. */
  Future<Void> delete(WorkerRef worker, String instanceId);

  void close();
}
