package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RegistryApply#next} on drains, and their serialized form. */
class RegistryApplyDrainsTest {

  private final Map<String, StoredEntry> state = new HashMap<>();
  private long seq;

  private StoredEntry apply(RegistryCommand command) {
    StoredEntry next = RegistryApply.next(Map.copyOf(state), command, ++seq, Instant.EPOCH);
    state.put(next.key(), next);
    return next;
  }

  @Test
  void drainThenResume_areEntriesOfTheirOwn_theSameStateAgainWritesNothing() {
    StoredEntry drained = apply(new RegistryCommand.SetDraining("w-1", true));
    assertThat(drained).isEqualTo(new StoredDrain("w-1", 1, true));
    assertThat(drained.key()).isEqualTo("drain/w-1");

    assertThat(apply(new RegistryCommand.SetDraining("w-1", true))).as("unchanged").isSameAs(drained);

    StoredEntry resumed = apply(new RegistryCommand.SetDraining("w-1", false));
    assertThat(resumed).isEqualTo(new StoredDrain("w-1", 3, false));
    assertThat(resumed.deleted()).isTrue();
    assertThat(resumed.newerThan(drained)).as("a merge keeps the resume").isTrue();
  }

  @Test
  void codec_roundTripsADrain() {
    StoredDrain drain = new StoredDrain("w-1", 9, true);

    assertThat(StoredFunctionCodec.decode(StoredFunctionCodec.encode(drain))).isEqualTo(drain);
    assertThat(StoredFunctionCodec.decode(StoredFunctionCodec.encode(new StoredDrain("w-1", 10, false))))
        .isEqualTo(new StoredDrain("w-1", 10, false));
  }
}
