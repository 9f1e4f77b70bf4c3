package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.common.grpc.GrpcChannels;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse up --bind HOST}: the control plane answers GetLeader with the address it listens on, so that a bridge
 * or worker of another process (which dials GetLeader's answer) reaches it. It used to answer 127.0.0.1, where
 * nothing listens when HOST is another address.
 */
class AllInOneAdvertiseTest {

  @TempDir Path dir;

  @Test
  void getLeader_boundToANonDefaultAddress_answersThatAddress() {
    // 127.0.0.2 is on the loopback interface of every Linux host, and it is not 127.0.0.1.
    try (AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.2", 0, 0, "fake", dir.resolve("data"),
        "fn.localhost"), Duration.ofSeconds(60))) {
      String own = "127.0.0.2:" + pulse.controlPlane().grpcPort();
      ManagedChannel channel = GrpcChannels.plaintext(own);
      try {
        LeaderInfo leader = ControlPlaneServiceGrpc.newBlockingStub(channel)
            .getLeader(GetLeaderRequest.getDefaultInstance());
        assertThat(leader.getKnown()).isTrue();
        assertThat(leader.getGrpcAddress()).isEqualTo(own);
      } finally {
        GrpcChannels.close(channel);
      }
    }
  }
}
