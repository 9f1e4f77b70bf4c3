package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochFileTest {

  @TempDir Path dir;

  @Test
  void open_withoutAFile_startsAtZero() {
    try (EpochFile file = EpochFile.open(dir.resolve("not-yet"))) {
      assertThat(file.initial()).isZero();
    }
  }

  @Test
  void save_keepsTheHighestEpochForTheNextOpen() throws Exception {
    try (EpochFile file = EpochFile.open(dir)) {
      file.save(5);
      file.save(9);
      file.save(3);
    }

    try (EpochFile again = EpochFile.open(dir)) {
      assertThat(again.initial()).isEqualTo(9);
      again.save(8);
    }
    assertThat(Files.readString(dir.resolve(EpochFile.NAME))).isEqualTo("9\n");
    assertThat(dir.resolve(EpochFile.NAME + ".tmp")).doesNotExist();
  }

  @Test
  void open_refusesAFileThatHoldsNoEpoch() throws Exception {
    Files.writeString(dir.resolve(EpochFile.NAME), "twelve");

    assertThatThrownBy(() -> EpochFile.open(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(EpochFile.NAME).hasMessageContaining("delete it");
  }
}
