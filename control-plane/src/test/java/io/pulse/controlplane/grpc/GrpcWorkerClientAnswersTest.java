package io.pulse.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.pulse.controlplane.instances.CreateAnswer;
import io.pulse.controlplane.instances.LogAnswer;
import org.junit.jupiter.api.Test;

/** The adapter is where wire statuses become the core's answers; the core branches on nothing else. */
class GrpcWorkerClientAnswersTest {

  @Test
  void noRoomOnTheWorker_isARefusalCarryingWhatLackedRoom() {
    CreateAnswer answer = GrpcWorkerClient.createAnswer(
        Status.RESOURCE_EXHAUSTED.withDescription("cpu: 100m requested, 0m free").asRuntimeException());

    assertThat(answer).isEqualTo(new CreateAnswer.Refused("RESOURCE_EXHAUSTED",
        "RESOURCE_EXHAUSTED: cpu: 100m requested, 0m free", "cpu: 100m requested, 0m free"));
  }

  @Test
  void aPlainRefusal_isARefusalWithoutNoRoom() {
    CreateAnswer answer = GrpcWorkerClient.createAnswer(
        Status.FAILED_PRECONDITION.withDescription("epoch 3 is older than 5").asRuntimeException());

    assertThat(answer).isEqualTo(new CreateAnswer.Refused("FAILED_PRECONDITION",
        "FAILED_PRECONDITION: epoch 3 is older than 5", null));
  }

  @Test
  void noTrustworthyAnswer_mayHaveCreatedTheSandbox() {
    for (Status status : new Status[] {Status.DEADLINE_EXCEEDED, Status.UNAVAILABLE, Status.CANCELLED,
        Status.UNKNOWN, Status.INTERNAL}) {
      assertThat(GrpcWorkerClient.createAnswer(status.asRuntimeException()))
          .isEqualTo(new CreateAnswer.MayExist(status.getCode().name(), status.getCode().name()));
    }
  }

  @Test
  void logReads_notFoundIsGone_unimplementedIsUnsupported_anythingElseFailedWithTheStatus() {
    assertThat(GrpcWorkerClient.logAnswer(Status.NOT_FOUND.withDescription("no i-1").asRuntimeException()))
        .isEqualTo(new LogAnswer.Gone());
    assertThat(GrpcWorkerClient.logAnswer(Status.UNIMPLEMENTED.asRuntimeException()))
        .isEqualTo(new LogAnswer.Unsupported("UNIMPLEMENTED"));
    assertThat(GrpcWorkerClient.logAnswer(Status.UNAVAILABLE.withDescription("io").asRuntimeException()))
        .isEqualTo(new LogAnswer.Failed("UNAVAILABLE: io"));
  }
}
