/**
 * The worker daemon: one per machine. {@link io.pulse.worker.WorkerDaemon} assembles a sandbox runtime, the gRPC
 * {@code WorkerService} that the control plane and data planes call, and the membership client that keeps this worker
 * registered with the control plane.
 */
@NullMarked
package io.pulse.worker;

import org.jspecify.annotations.NullMarked;
