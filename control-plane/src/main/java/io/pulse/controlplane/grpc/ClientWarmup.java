package io.pulse.controlplane.grpc;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.common.grpc.GrpcChannels;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the gRPC client path once (a {@code GetLeader} call to this replica's own server) on a follower's start. A
 * replica serves gRPC but calls none until it leads; without this, a new leader's first command to a worker paid for
 * loading and initialising the client side (channel, transport, HTTP/2 codec): ~0.3-0.5 s measured on 2 shared cores,
 * right inside the failover window. Blocking: call it on a worker thread.
 */
public final class ClientWarmup {

  private static final Logger LOG = LoggerFactory.getLogger(ClientWarmup.class);

  private ClientWarmup() {}

  public static void run(String ownGrpcAddress) {
    long started = System.nanoTime();
    ManagedChannel channel = GrpcChannels.plaintext(ownGrpcAddress);
    try {
      ControlPlaneServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getLeader(GetLeaderRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      LOG.atDebug().setMessage("gRPC client warm-up call failed").addKeyValue("error", e.toString()).log();
    } finally {
      GrpcChannels.close(channel);
    }
    LOG.atDebug().setMessage("gRPC client warmed up")
        .addKeyValue("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).log();
  }
}
