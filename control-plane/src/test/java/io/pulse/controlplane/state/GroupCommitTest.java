package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store's group commit over a batch writer of the test's: the first batch is held "in its fsync" until the test
 * has queued more, so what shares the next batch is decided by the test, not by timing.
 */
class GroupCommitTest {

  private final List<List<String>> batches = new ArrayList<>();
  private final CountDownLatch inFirstFsync = new CountDownLatch(1);
  private final CountDownLatch releaseFirstFsync = new CountDownLatch(1);
  private volatile String failBatchContaining = "";
  private final GroupCommit<String> commits = new GroupCommit<>("test-writer", batch -> {
    synchronized (batches) {
      batches.add(List.copyOf(batch));
    }
    if (batch.contains("w0")) {
      inFirstFsync.countDown();
      if (!releaseFirstFsync.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    }
    if (batch.contains(failBatchContaining)) {
      throw new java.io.IOException("disk full");
    }
  });

  @AfterEach
  void close() {
    releaseFirstFsync.countDown();
    commits.close();
  }

  private List<CompletableFuture<Void>> queueBehindTheFirstFsync(int n) throws Exception {
    CompletableFuture<Void> first = commits.submit("w0");
    assertThat(inFirstFsync.await(30, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Void>> waiting = new ArrayList<>(List.of(first));
    for (int i = 1; i <= n; i++) {
      waiting.add(commits.submit("w" + i));
    }
    return waiting;
  }

  @Test
  void writesArrivingDuringAnFsync_shareTheNextOne_inOrder_andCompleteOnlyOnceItIsDone() throws Exception {
    List<CompletableFuture<Void>> writes = queueBehindTheFirstFsync(50);
    assertThat(writes).noneMatch(CompletableFuture::isDone); // the first fsync still runs: none is durable

    releaseFirstFsync.countDown();
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    List<String> second = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      second.add("w" + i);
    }
    assertThat(batches).containsExactly(List.of("w0"), second);
  }

  @Test
  void aFailedFsync_failsEveryWriteWaitingForIt_andTheNextBatchWritesAgain() throws Exception {
    failBatchContaining = "w1";
    List<CompletableFuture<Void>> writes = queueBehindTheFirstFsync(20);
    releaseFirstFsync.countDown();

    writes.getFirst().get(30, TimeUnit.SECONDS);
    for (CompletableFuture<Void> write : writes.subList(1, writes.size())) {
      assertThatThrownBy(write::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("disk full");
    }
    commits.submit("after").get(30, TimeUnit.SECONDS);
    assertThat(batches.getLast()).containsExactly("after");
  }

  @Test
  void close_writesWhatIsQueuedFirst_thenRefusesNewWrites() throws Exception {
    List<CompletableFuture<Void>> writes = queueBehindTheFirstFsync(5);
    Thread closing = Thread.ofPlatform().start(commits::close);
    releaseFirstFsync.countDown();
    closing.join(30_000);

    assertThat(writes).allMatch(w -> w.isDone() && !w.isCompletedExceptionally());
    assertThatThrownBy(() -> commits.submit("late").join()).hasRootCauseMessage("the state store is closed");
  }
}
