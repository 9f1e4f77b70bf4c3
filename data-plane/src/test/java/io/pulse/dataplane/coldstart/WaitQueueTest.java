package io.pulse.dataplane.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.dataplane.coldstart.ColdStartException.Reason;
import io.pulse.dataplane.coldstart.WaitQueue.Admission;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitQueueTest {

  @Test
  void admit_grantsAFreeSlotAtOnce() {
    WaitQueue<Integer> queue = new WaitQueue<>(2);
    assertThat(queue.admit(new TokenSlots(1))).isInstanceOf(Admission.Granted.class);
    assertThat(queue.size()).isZero();
  }

  @Test
  void admit_parksThenReportsFull() {
    WaitQueue<Integer> queue = new WaitQueue<>(2);
    TokenSlots slots = new TokenSlots(0);
    assertThat(queue.admit(slots)).isInstanceOf(Admission.Parked.class);
    assertThat(queue.admit(slots)).isInstanceOf(Admission.Parked.class);
    assertThat(queue.admit(slots)).isEqualTo(new Admission.Full<Integer>(2));
  }

  @Test
  void tryNow_grantsAFreeSlot_elseNothing_andNeverParks() {
    WaitQueue<Integer> queue = new WaitQueue<>(2);
    TokenSlots slots = new TokenSlots(1);

    assertThat(queue.tryNow(slots)).isEqualTo(1);
    assertThat(queue.tryNow(slots)).isNull();
    assertThat(queue.size()).isZero();
  }

  @Test
  void tryNow_takesNothingWhileAnyoneWaits_evenWithASlotFree() {
    WaitQueue<Integer> queue = new WaitQueue<>(2);
    TokenSlots slots = new TokenSlots(0);
    assertThat(queue.admit(slots)).isInstanceOf(Admission.Parked.class);
    slots.grow(1);

    assertThat(queue.tryNow(slots)).isNull();
    assertThat(slots.free()).as("the free slot is the waiter's").isEqualTo(1);
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void tryNow_settlesAfterItsAttempt() {
    WaitQueue<Integer> queue = new WaitQueue<>(2);
    DeferringSlots slots = new DeferringSlots(queue, 1);

    queue.tryNow(slots);
    queue.tryNow(slots);

    assertThat(slots.settledUnderTheLock).containsExactly(false, false);
  }

  @Test
  void drain_servesWaitersInArrivalOrder() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots slots = new TokenSlots(0);
    List<String> served = new ArrayList<>();
    for (String name : List.of("first", "second", "third")) {
      var parked = (Admission.Parked<Integer>) queue.admit(slots);
      parked.waiter().future().onSuccess(token -> served.add(name));
    }
    slots.grow(2);
    queue.drain(slots);
    assertThat(served).containsExactly("first", "second");
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void admit_doesNotOvertakeWaitersWhenASlotFreesUp() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots slots = new TokenSlots(0);
    var early = (Admission.Parked<Integer>) queue.admit(slots);
    slots.grow(1); // a slot appears, but nobody has drained yet
    Admission<Integer> late = queue.admit(slots);
    assertThat(early.waiter().future().succeeded()).isTrue();
    assertThat(late).isInstanceOf(Admission.Parked.class);
  }

  /**
   * A source that answers by position, as the wait-aware track choice does: nothing for the first {@code passOver}
   * waiters (their slot is expected soon), a token for anyone further back, until {@code tokens} are out.
   */
  private static final class ByPosition implements WaitQueue.Slots<Integer> {
    private final int passOver;
    private int tokens;
    private boolean later;
    final List<Integer> asked = new ArrayList<>();

    ByPosition(int passOver, int tokens) {
      this.passOver = passOver;
      this.tokens = tokens;
    }

    @Override
    public Integer tryAcquire(int ahead) {
      asked.add(ahead);
      later = ahead < passOver;
      if (ahead < passOver || tokens == 0) {
        return null;
      }
      return tokens--;
    }

    @Override
    public boolean laterMayDiffer() {
      return later && tokens > 0;
    }
  }

  @Test
  void drain_aSourceThatPassesOverTheHead_servesThoseBehind_andTheHeadKeepsItsPlace() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots none = new TokenSlots(0);
    List<String> served = new ArrayList<>();
    List<WaitQueue.Waiter<Integer>> waiters = new ArrayList<>();
    for (String name : List.of("first", "second", "third", "fourth")) {
      var parked = (Admission.Parked<Integer>) queue.admit(none);
      parked.waiter().future().onSuccess(token -> served.add(name));
      waiters.add(parked.waiter());
    }

    ByPosition source = new ByPosition(2, 1);
    queue.drain(source);

    assertThat(served).containsExactly("third");
    assertThat(source.asked).as("the fourth has two still ahead").containsExactly(0, 1, 2, 2);
    assertThat(queue.size()).isEqualTo(3);
    // A plain slot later goes to the head, which kept its place.
    TokenSlots one = new TokenSlots(1);
    queue.drain(one);
    assertThat(served).containsExactly("third", "first");
  }

  @Test
  void admit_behindPassedOverWaiters_isAskedWithItsPosition() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots none = new TokenSlots(0);
    queue.admit(none);
    queue.admit(none);

    ByPosition source = new ByPosition(2, 1);
    Admission<Integer> third = queue.admit(source);

    assertThat(third).isEqualTo(new Admission.Granted<>(1));
    assertThat(source.asked).containsExactly(0, 1, 2);
    assertThat(queue.size()).isEqualTo(2);
  }

  /** Gives a token to the first {@code good} requests it is asked for, then throws (a bug in a slot source). */
  private static class FailingAfter implements WaitQueue.Slots<Integer> {
    private int good;

    FailingAfter(int good) {
      this.good = good;
    }

    @Override
    public Integer tryAcquire(int ahead) {
      if (good-- > 0) {
        return 7;
      }
      throw new IllegalStateException("the source failed");
    }
  }

  @Test
  void aSourceThatThrowsMidPass_stillHandsOverWhatItGave_andKeepsTheRestWaiting() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots none = new TokenSlots(0);
    var first = (Admission.Parked<Integer>) queue.admit(none);
    var second = (Admission.Parked<Integer>) queue.admit(none);

    assertThatThrownBy(() -> queue.drain(new FailingAfter(1))).hasMessage("the source failed");
    assertThat(first.waiter().future().result()).isEqualTo(7);
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.heldByCurrentThread()).isFalse();

    var third = (Admission.Parked<Integer>) queue.admit(none);
    assertThatThrownBy(() -> queue.admit(new FailingAfter(1))).hasMessage("the source failed");
    assertThat(second.waiter().future().result()).isEqualTo(7);
    assertThat(third.waiter().future().isComplete()).isFalse();
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.heldByCurrentThread()).isFalse();
  }

  @Test
  void aSourceThatThrows_andThenFailsToSettle_reportsItsFirstFailure_withTheSecondSuppressed() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    var first = (Admission.Parked<Integer>) queue.admit(new TokenSlots(0));
    queue.admit(new TokenSlots(0));
    FailingAfter failing = new FailingAfter(1) {
      @Override
      public void settle() {
        throw new IllegalStateException("the settle failed too");
      }
    };

    assertThatThrownBy(() -> queue.drain(failing)).hasMessage("the source failed")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
            .containsExactly("the settle failed too"));
    assertThat(first.waiter().future().result()).isEqualTo(7);
    assertThat(queue.heldByCurrentThread()).isFalse();
    assertThatThrownBy(() -> queue.admit(failing)).hasMessage("the source failed")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(queue.heldByCurrentThread()).isFalse();
  }

  @Test
  void aStrictlyFifoSource_isNotAskedPastTheFirstRefusal() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots none = new TokenSlots(0);
    queue.admit(none);
    queue.admit(none);
    List<Integer> asked = new ArrayList<>();

    Admission<Integer> third = queue.admit(ahead -> {
      asked.add(ahead);
      return null;
    });

    assertThat(third).isInstanceOf(Admission.Parked.class);
    assertThat(asked).containsExactly(0);
  }

  @Test
  void cancel_decidesOnceAndFailsWithTheCause() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots slots = new TokenSlots(0);
    var parked = (Admission.Parked<Integer>) queue.admit(slots);
    ColdStartException deadline = new ColdStartException(Reason.DEADLINE, "too late");
    assertThat(queue.cancel(parked.waiter(), deadline)).isTrue();
    assertThat(queue.cancel(parked.waiter(), deadline)).isFalse();
    assertThat(parked.waiter().future().cause()).isSameAs(deadline);
    assertThat(queue.size()).isZero();
  }

  @Test
  void cancel_afterAHandOffIsANoOp() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots slots = new TokenSlots(0);
    var parked = (Admission.Parked<Integer>) queue.admit(slots);
    slots.grow(1);
    queue.drain(slots);
    assertThat(queue.cancel(parked.waiter(), new ColdStartException(Reason.CLIENT_GONE, "gone"))).isFalse();
    assertThat(parked.waiter().future().result()).isEqualTo(1);
  }

  @Test
  void failAll_failsEveryWaiter() {
    WaitQueue<Integer> queue = new WaitQueue<>(10);
    TokenSlots slots = new TokenSlots(0);
    var a = (Admission.Parked<Integer>) queue.admit(slots);
    var b = (Admission.Parked<Integer>) queue.admit(slots);
    assertThat(queue.failAll(new ColdStartException(Reason.FUNCTION_REMOVED, "gone"))).isEqualTo(2);
    assertThat(a.waiter().future().failed()).isTrue();
    assertThat(b.waiter().future().failed()).isTrue();
    assertThat(queue.size()).isZero();
  }

  /**
   * A slot source that defers an action (as the gateway defers deleting a stale instance): the action runs once per
   * pass, outside the queue's lock, and may call the queue again (a wake-up) without meeting a half-done pass.
   */
  private static final class DeferringSlots implements WaitQueue.Slots<Integer> {
    final TokenSlots tokens;
    final WaitQueue<Integer> queue;
    final List<Boolean> settledUnderTheLock = new ArrayList<>();
    Runnable then = () -> {};

    DeferringSlots(WaitQueue<Integer> queue, int capacity) {
      this.queue = queue;
      this.tokens = new TokenSlots(capacity);
    }

    @Override
    public Integer tryAcquire(int ahead) {
      return tokens.tryAcquire(ahead);
    }

    @Override
    public void settle() {
      settledUnderTheLock.add(queue.heldByCurrentThread());
      Runnable action = then;
      then = () -> {};
      action.run();
    }
  }

  @Test
  void settle_runsAfterTheLock_onTheFastPath_whenParking_andAfterADrain() {
    WaitQueue<Integer> queue = new WaitQueue<>(4);
    DeferringSlots slots = new DeferringSlots(queue, 1);

    assertThat(queue.admit(slots)).isInstanceOf(Admission.Granted.class); // fast path
    var parked = (Admission.Parked<Integer>) queue.admit(slots); // the locked path
    slots.tokens.release();
    queue.drain(slots);

    assertThat(slots.settledUnderTheLock).containsExactly(false, false, false);
    assertThat(parked.waiter().future().succeeded()).isTrue();
  }

  @Test
  void settle_mayWakeTheQueueAgain_whichServesTheNextWaiter() {
    WaitQueue<Integer> queue = new WaitQueue<>(4);
    DeferringSlots slots = new DeferringSlots(queue, 0);
    var first = (Admission.Parked<Integer>) queue.admit(slots);
    var second = (Admission.Parked<Integer>) queue.admit(slots);

    // The deferred action frees a second slot and wakes the queue, as a deleted instance's headroom does.
    slots.then = () -> {
      slots.tokens.grow(1);
      queue.drain(slots);
    };
    slots.tokens.grow(1);
    queue.drain(slots);

    assertThat(first.waiter().future().succeeded()).isTrue();
    assertThat(second.waiter().future().succeeded()).isTrue();
    assertThat(queue.size()).isZero();
    assertThat(slots.settledUnderTheLock).doesNotContain(true);
  }

  @Test
  void constructor_rejectsZeroCapacity() {
    assertThatThrownBy(() -> new WaitQueue<Integer>(0)).hasMessageContaining("queueCapacity");
  }
}
