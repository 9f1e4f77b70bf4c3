package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.CreatorLease;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxKind;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxLabelsTest {

  @Test
  void parse_ofToMap_keepsAnEmergencyInstancesCreatorAndLease() {
    SandboxLabels labels = new SandboxLabels("e-1", "f", 3, SandboxKind.EMERGENCY, 8080, "cni", 1_000,
        new Resources(250, 64), new CreatorLease("dp-a", 30_000));

    assertThat(SandboxLabels.parse(labels.toMap())).contains(labels);
  }

  @Test
  void parse_ofLabelsWithoutALease_isNoLease() {
    Map<String, String> earlier = new HashMap<>(new SandboxLabels("r-1", "f", 3, SandboxKind.REGULAR, 8080, "cni",
        1_000, new Resources(250, 64), CreatorLease.NONE).toMap());

    assertThat(earlier).doesNotContainKey(SandboxLabels.PREFIX + "creator");
    assertThat(SandboxLabels.parse(earlier).orElseThrow().creator()).isEqualTo(CreatorLease.NONE);
  }
}
