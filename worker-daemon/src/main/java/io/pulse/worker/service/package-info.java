/**
 * The worker's command side: the guards every create and delete passes (leader epoch, capacity, idempotency) in
 * {@link io.pulse.worker.service.SandboxCommands}, and the gRPC {@code WorkerService} adapter that converts protobuf to
 * our records at the edge and maps failures to the status codes worker.proto documents.
 */
@NullMarked
package io.pulse.worker.service;

import org.jspecify.annotations.NullMarked;
