package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.placement.ResourceRequest;
import org.junit.jupiter.api.Test;

class InstanceTableTest {

  private final InstanceTable table = new InstanceTable((worker, cpu, memory) -> { });

  @Test
  void takeChanged_namesTheFunctionsWhoseInstancesWerePutOrRemoved_once() {
    Instance a1 = Instance.pending("a-1", "a", 1, "w1", new ResourceRequest(100, 64), 0);
    table.put(a1);
    table.put(Instance.pending("b-1", "b", 1, "w1", new ResourceRequest(100, 64), 0));
    assertThat(table.takeChanged()).containsExactlyInAnyOrder("a", "b");
    assertThat(table.takeChanged()).isEmpty();

    table.put(a1.ready(new HostPort("127.0.0.1", 9000), WorkerListing.UNKNOWN, 10));
    assertThat(table.takeChanged()).containsExactly("a");
    table.remove("b-1");
    table.remove("nobody");
    assertThat(table.takeChanged()).containsExactly("b");
  }
}
