package io.pulse.k8sbridge.watch;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.net.HostPort;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the control-plane leader: asks the seeds in order with {@code GetLeader} and takes the first known answer;
 * when none answers (older control planes answer UNIMPLEMENTED), falls back to the first seed. Blocking.
 */
public final class LeaderLocator {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderLocator.class);
  private static final long DEADLINE_MS = 2000;

  private final List<HostPort> seeds;

  public LeaderLocator(List<HostPort> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("at least one control-plane address is needed (--api)");
    }
    this.seeds = List.copyOf(seeds);
  }

  public String locate() {
    for (HostPort seed : seeds) {
      ManagedChannel channel = GrpcChannels.plaintext(seed.toString());
      try {
        LeaderInfo info = ControlPlaneServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
            .getLeader(GetLeaderRequest.getDefaultInstance());
        if (info.getKnown() && !info.getGrpcAddress().isEmpty()) {
          return info.getGrpcAddress();
        }
      } catch (StatusRuntimeException e) {
        LOG.atDebug().setMessage("GetLeader failed").addKeyValue("seed", seed)
            .addKeyValue("status", e.getStatus().getCode()).log();
      } finally {
        GrpcChannels.close(channel);
      }
    }
    return seeds.getFirst().toString();
  }
}
