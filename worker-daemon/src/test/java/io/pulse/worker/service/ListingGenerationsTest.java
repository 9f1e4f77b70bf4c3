package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ListingGenerationsTest {

  private final AtomicLong clock = new AtomicLong(1_000);
  private final ListingGenerations generations = new ListingGenerations(clock::get);

  @Test
  void aListingDrawnBeforeARecordIsBelowIt_oneDrawnAfterIsAtOrAboveIt_evenOnAStoppedClock() {
    long before = generations.listing();
    long recorded = generations.recorded();
    long after = generations.listing();

    assertThat(recorded).isGreaterThan(before);
    assertThat(after).isGreaterThanOrEqualTo(recorded);
    assertThat(generations.recorded()).as("the next record is above that listing too").isGreaterThan(after);
  }

  @Test
  void aClockSetBackDoesNotTakeGenerationsBack() {
    long recorded = generations.recorded();
    clock.set(10);

    assertThat(generations.listing()).isGreaterThanOrEqualTo(recorded);
    assertThat(generations.recorded()).isGreaterThan(recorded);
  }

  @Test
  void generationsFollowTheClock_soARestartedWorkerStartsAboveItsPreviousRun() {
    long last = 0;
    for (int i = 0; i < 500; i++) {
      last = generations.recorded(); // faster than the clock ticks: counted on from the clock's reading
    }
    clock.addAndGet(1_000); // the restart took a millisecond
    ListingGenerations restarted = new ListingGenerations(clock::get);

    assertThat(last).isEqualTo(1_499);
    assertThat(restarted.listing()).isGreaterThan(last);
  }
}
