package io.pulse.controlplane.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.common.grpc.GrpcFutures;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.controlplane.routes.RoutesNotOpenException;

/**
 * The handlers' refusals as gRPC statuses: both "ask elsewhere or later" refusals are UNAVAILABLE with their message
 * (a client goes back to GetLeader, or retries the same leader); anything else as {@link GrpcFutures#toStatus}.
 */
final class Refusals {

  private Refusals() {}

  static StatusRuntimeException toStatus(Throwable failure) {
    return switch (failure) {
      case NotLeaderException notLeader -> Status.UNAVAILABLE.withDescription(notLeader.getMessage())
          .asRuntimeException();
      case RoutesNotOpenException notOpen -> Status.UNAVAILABLE.withDescription(notOpen.getMessage())
          .asRuntimeException();
      default -> GrpcFutures.toStatus(failure);
    };
  }
}
