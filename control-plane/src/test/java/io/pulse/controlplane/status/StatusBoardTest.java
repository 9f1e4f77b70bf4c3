package io.pulse.controlplane.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.status.FunctionStatus.Failure;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatusBoardTest {

  private static Failure failure(String ref, String function) {
    return new Failure(ref, function, "create", "dp-1", function + "-1-e" + ref, "w1", "INTERNAL", "exited", 0);
  }

  @Test
  void failed_keepsEachFunctionsLastTwenty_newestFirst() {
    StatusBoard board = new StatusBoard(null);
    IntStream.range(0, StatusBoard.RECENT_FAILURES + 5).forEach(i -> board.failed(failure("r" + i, "f")));
    board.failed(failure("other", "g"));

    FunctionStatus f = board.snapshot().get("f");
    assertThat(f.recentFailures()).hasSize(StatusBoard.RECENT_FAILURES);
    assertThat(f.recentFailures().getFirst().ref()).isEqualTo("r24");
    assertThat(f.recentFailures().getLast().ref()).isEqualTo("r5");
    assertThat(f.images()).isEmpty();
    assertThat(f.lastCreateFailure()).isNull();
    assertThat(board.snapshot().get("g").recentFailures()).extracting(Failure::ref).containsExactly("other");
  }

  @Test
  void placementFailed_keepsTheFirstTimeOfARun_andSettledOrForgottenClearsIt() {
    StatusBoard board = new StatusBoard(null);
    board.placementFailed("f", "no worker has 256 MiB of memory free: w-1 has 0 MiB of memory", 1000);
    board.placementFailed("f", "no worker has 256 MiB of memory free: w-1 has 10 MiB of memory", 3000);

    assertThat(board.snapshot().get("f").lastPlacementFailure()).isEqualTo(new FunctionStatus.PlacementFailure(
        "no worker has 256 MiB of memory free: w-1 has 10 MiB of memory", 1000, 3000));

    board.placementSettled("f");
    assertThat(board.snapshot()).doesNotContainKey("f");

    board.placementFailed("f", "no live worker", 5000);
    assertThat(board.snapshot().get("f").lastPlacementFailure().sinceMillis()).as("a new run").isEqualTo(5000);
    board.forgetFunction("f");
    assertThat(board.snapshot()).doesNotContainKey("f");
  }

  @Test
  void forgetFunction_dropsItsFailures() {
    StatusBoard board = new StatusBoard(null);
    board.failed(failure("r1", "f"));

    board.forgetFunction("f");

    assertThat(board.snapshot()).doesNotContainKey("f");
  }

  @Test
  void pools_groupByFunctionAcrossWorkers_changeOnlyWhenDifferent_andGoWithTheWorker() {
    StatusBoard board = new StatusBoard(null);
    FunctionStatus.Pool bad = new FunctionStatus.Pool("w1", "f", 2, 3, 0, 0, 4, "pull busybox:nope: not found");
    FunctionStatus.Pool ready = new FunctionStatus.Pool("w2", "f", 2, 3, 3, 0, 0, null);
    FunctionStatus.Pool other = new FunctionStatus.Pool("w2", "g", 1, 1, 1, 0, 0, null);

    assertThat(board.pools("w1", java.util.List.of(bad))).isTrue();
    assertThat(board.pools("w2", java.util.List.of(ready, other))).isTrue();
    assertThat(board.pools("w1", java.util.List.of(bad))).isFalse();

    assertThat(board.snapshot().get("f").pools()).containsExactlyInAnyOrder(bad, ready);
    assertThat(board.snapshot().get("g").pools()).containsExactly(other);

    board.forgetWorker("w1");
    assertThat(board.snapshot().get("f").pools()).containsExactly(ready);
    assertThat(board.pools("w2", java.util.List.of())).isTrue();
    assertThat(board.snapshot()).doesNotContainKeys("f", "g");
  }
}
