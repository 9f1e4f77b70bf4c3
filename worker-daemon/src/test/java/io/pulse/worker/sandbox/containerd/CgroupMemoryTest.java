package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupMemoryTest {

  @TempDir Path root;

  @Test
  void oomKills_readsCgroupV2Events() throws Exception {
    Path dir = Files.createDirectories(root.resolve("pulse-ns/fn-1"));
    Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");

    assertThat(CgroupMemory.oomKills(root, "/pulse-ns/fn-1")).isEqualTo(1);
  }

  @Test
  void oomKills_readsCgroupV1OomControl() throws Exception {
    Path dir = Files.createDirectories(root.resolve("memory/pulse-ns/fn-1"));
    Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");

    assertThat(CgroupMemory.oomKills(root, "/pulse-ns/fn-1")).isEqualTo(2);
  }

  @Test
  void oomKills_missingCgroup_isZero() {
    assertThat(CgroupMemory.oomKills(root, "/pulse-ns/gone")).isZero();
  }
}
