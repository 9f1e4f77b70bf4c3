/**
 * The control plane's gRPC edges: the ControlPlaneService that workers and data planes call, and the WorkerService
 * client the lifecycle commands workers through. Protobuf types live here only; everything past this package sees
 * records. Server handlers hop onto the control plane's context before touching any state.
 */
@NullMarked
package io.pulse.controlplane.grpc;

import org.jspecify.annotations.NullMarked;
