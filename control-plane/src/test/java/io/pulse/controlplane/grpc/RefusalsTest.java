package io.pulse.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.controlplane.routes.RoutesNotOpenException;
import org.junit.jupiter.api.Test;

class RefusalsTest {

  @Test
  void notTheLeader_isUnavailableWithItsMessage_soClientsAskGetLeader() {
    var status = Refusals.toStatus(new NotLeaderException("not the leader: (leader cp-1 at h:1)", "cp-1", "h:2"))
        .getStatus();

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("not the leader: (leader cp-1 at h:1)");
  }

  @Test
  void routesNotOpenYet_isUnavailable_soTheDataPlaneRetries() {
    assertThat(Refusals.toStatus(new RoutesNotOpenException()).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aBadArgument_staysInvalidArgument() {
    assertThat(Refusals.toStatus(new IllegalArgumentException("worker_id must not be empty")).getStatus().getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
