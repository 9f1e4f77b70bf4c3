package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.autoscale.IdleGaps;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lone control plane's idle gaps in its RocksDB store: what one run recorded, the next run starts from. */
class StoredIdleGapStoreTest {

  @TempDir
  Path dir;

  @Test
  void gapsRecordedInOneRun_areTheNextRunsStart_andADeletionStaysDeleted() {
    try (StateStore store = StateStore.rocksDb(dir)) {
      StoredIdleGapStore gaps = new StoredIdleGapStore(store);
      gaps.put("web", IdleGaps.of(90_000, 110_000));
      gaps.put("api", IdleGaps.of(7_000));
      gaps.put("web", IdleGaps.of(90_000, 110_000, 140_000));
      assertThat(gaps.gaps("web")).as("its own copy, at once").isEqualTo(IdleGaps.of(90_000, 110_000, 140_000));
    } // closing writes what is queued

    try (StateStore store = StateStore.rocksDb(dir)) {
      StoredIdleGapStore gaps = new StoredIdleGapStore(store);
      assertThat(gaps.gaps("web")).isEqualTo(IdleGaps.of(90_000, 110_000, 140_000));
      assertThat(gaps.gaps("api")).isEqualTo(IdleGaps.of(7_000));
      assertThat(gaps.gaps("never")).isEqualTo(IdleGaps.NONE);
      gaps.remove("api");
    }

    try (StateStore store = StateStore.rocksDb(dir)) {
      assertThat(new StoredIdleGapStore(store).gaps("api")).isEqualTo(IdleGaps.NONE);
    }
  }
}
