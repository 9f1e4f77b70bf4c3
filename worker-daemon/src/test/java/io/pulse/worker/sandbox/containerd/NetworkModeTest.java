package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkModeTest {

  private static final Path DEBIAN = Path.of("/usr/lib/cni");
  private static final Path UPSTREAM = Path.of("/opt/cni/bin");

  private static java.util.function.Predicate<Path> pluginsIn(Path... dirs) {
    Set<Path> present = new java.util.HashSet<>();
    for (Path dir : dirs) {
      present.add(dir.resolve("bridge"));
      present.add(dir.resolve("host-local"));
    }
    return present::contains;
  }

  @Test
  void auto_withDebiansPlugins_isCniThere() {
    NetworkMode.Choice choice = NetworkMode.resolve("auto", DEBIAN, true, pluginsIn(DEBIAN), true);

    assertThat(choice.network()).isEqualTo("cni");
    assertThat(choice.cniBinDir()).isEqualTo(DEBIAN);
  }

  @Test
  void auto_withUpstreamPluginsOnly_isCniWithTheirDirectory() {
    NetworkMode.Choice choice = NetworkMode.resolve("auto", DEBIAN, true, pluginsIn(UPSTREAM), true);

    assertThat(choice.network()).isEqualTo("cni");
    assertThat(choice.cniBinDir()).isEqualTo(UPSTREAM);
  }

  @Test
  void auto_withoutPlugins_fallsBackToTheHostNetworkSayingWhatFixedPortsNeed() {
    NetworkMode.Choice choice = NetworkMode.resolve("auto", DEBIAN, true, pluginsIn(), true);

    assertThat(choice.network()).isEqualTo("host");
    assertThat(choice.cniBinDir()).isEqualTo(DEBIAN);
    assertThat(choice.why()).contains("/usr/lib/cni", "/opt/cni/bin", "fixed port", "containernetworking-plugins");
  }

  @Test
  void auto_withABridgeButNoHostLocal_fallsBackToTheHostNetwork() {
    NetworkMode.Choice choice = NetworkMode.resolve("auto", DEBIAN, true, p -> p.endsWith("bridge"), true);

    assertThat(choice.network()).isEqualTo("host");
  }

  @Test
  void auto_withPluginsButNoIptablesToMasquerade_fallsBackUnlessMasqueradingIsOff() {
    assertThat(NetworkMode.resolve("auto", DEBIAN, true, pluginsIn(DEBIAN), false).why()).contains("iptables");
    assertThat(NetworkMode.resolve("auto", DEBIAN, true, pluginsIn(DEBIAN), false).network()).isEqualTo("host");
    assertThat(NetworkMode.resolve("auto", DEBIAN, false, pluginsIn(DEBIAN), false).network()).isEqualTo("cni");
  }

  @Test
  void anExplicitMode_staysAsItIs() {
    assertThat(NetworkMode.resolve("host", DEBIAN, true, pluginsIn(DEBIAN), true).network()).isEqualTo("host");
    assertThat(NetworkMode.resolve("cni", DEBIAN, true, pluginsIn(), true))
        .isEqualTo(new NetworkMode.Choice("cni", DEBIAN, "--network cni"));
  }

  @Test
  void refusal_onlyOfAFixedPortOnTheHostNetwork() {
    assertThat(NetworkMode.refusal("host", 8080)).hasValueSatisfying(message -> assertThat(message)
        .contains("fixed port 8080", "host networking", "--network cni", "port 0", "$PORT"));
    assertThat(NetworkMode.refusal("host", 0)).isEmpty();
    assertThat(NetworkMode.refusal("cni", 8080)).isEmpty();
  }
}
