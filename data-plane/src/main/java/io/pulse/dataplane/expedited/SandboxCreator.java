package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.SandboxTemplate;
import io.pulse.dataplane.routing.WorkerRef;
import io.pulse.common.net.HostPort;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** What the expedited track needs from workers: create an Emergency Instance, delete it. */
public interface SandboxCreator {

  /**
   * Creates and starts the sandbox; completes with its endpoint once it accepts connections. Waits at most
   * {@code timeoutMillis}: then it fails with {@link CreationCutShort} (and the worker may still hold the sandbox).
   */
  Future<HostPort> create(WorkerRef worker, String instanceId, SandboxTemplate template, long timeoutMillis);

  /** Deletes the sandbox; completes (never fails) once the worker answered or gave up. */
  Future<Void> delete(WorkerRef worker, String instanceId);

  /**
   * Renews the leases of this data plane's Emergency Instances on one worker, in one call. Completes with the ids the
   * worker holds no lease of (it reaped them); fails when the worker did not answer. Called off the event loop.
   */
  CompletionStage<List<String>> renew(WorkerRef worker, List<String> instanceIds);

  void close();
}
