package io.pulse.common.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc.ControlPlaneServiceStub;
import io.pulse.api.v1.RoutesAck;
import io.pulse.api.v1.RoutesAckReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges an applied route update to the control plane, as every route watcher (data planes, the Kubernetes
 * bridge) must: a registration answers only once every watcher has applied it. Fire and forget: a lost acknowledgement
 * only makes that registration wait for its timeout.
 */
public final class RouteAcks {

  private static final Logger LOG = LoggerFactory.getLogger(RouteAcks.class);

  private RouteAcks() {}

  public static void send(ControlPlaneServiceStub stub, String watcherId, long version) {
    stub.ackRoutes(RoutesAck.newBuilder().setDataPlaneId(watcherId).setVersion(version).build(),
        new StreamObserver<RoutesAckReply>() {
          @Override
          public void onNext(RoutesAckReply reply) {}

          @Override
          public void onError(Throwable t) {
            LOG.atDebug().setMessage("route acknowledgement failed").addKeyValue("watcher", watcherId)
                .addKeyValue("version", version).addKeyValue("status", Status.fromThrowable(t).getCode()).log();
          }

          @Override
          public void onCompleted() {}
        });
  }
}
