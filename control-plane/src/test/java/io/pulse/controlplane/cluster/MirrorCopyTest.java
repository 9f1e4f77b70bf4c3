package io.pulse.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorCopyTest {

  @Test
  void aRemovalThatArrivesWhileThePreloadReads_isNotUndoneByIt() {
    MirrorCopy<String> copy = new MirrorCopy<>();
    copy.put("f", "seen by the event");
    copy.remove("f");
    copy.preloaded("f", "read before the removal");
    copy.preloadEnded();

    assertThat(copy.get("f")).isNull();
    assertThat(copy.values()).isEmpty();
  }

  @Test
  void anOwnRemovalDuringThePreload_isNotUndoneByIt() {
    MirrorCopy<String> copy = new MirrorCopy<>();
    copy.remove("f");
    copy.preloaded("f", "stale");
    copy.preloadEnded();

    assertThat(copy.get("f")).isNull();
  }

  @Test
  void anUpdateThatArrivesWhileThePreloadReads_wins() {
    MirrorCopy<String> copy = new MirrorCopy<>();
    copy.put("f", "new");
    copy.preloaded("f", "old");
    copy.preloadEnded();

    assertThat(copy.get("f")).isEqualTo("new");
  }

  @Test
  void untouchedEntries_comeFromThePreload() {
    MirrorCopy<String> copy = new MirrorCopy<>();
    copy.put("g", "other key");
    copy.preloaded("f", "from the map");
    copy.preloadEnded();

    assertThat(copy.get("f")).isEqualTo("from the map");
    assertThat(copy.values()).containsExactlyInAnyOrder("from the map", "other key");
  }

  @Test
  void everyChange_isToldOn_butAPreloadItIgnores_isNot() {
    List<String> told = new ArrayList<>();
    MirrorCopy<String> copy = new MirrorCopy<>((key, value) -> told.add(key + "=" + value));
    copy.put("f", "1");
    copy.preloaded("f", "stale");
    copy.preloaded("g", "from the map");
    copy.remove("h"); // not here, but a copy kept further may hold it
    copy.preloadEnded();

    assertThat(told).containsExactly("f=1", "g=from the map", "h=null");
  }
}
