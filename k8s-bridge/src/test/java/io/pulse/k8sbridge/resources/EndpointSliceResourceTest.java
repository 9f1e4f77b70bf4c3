package io.pulse.k8sbridge.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.pulse.common.net.HostPort;
import io.pulse.k8sbridge.view.FunctionView;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointSliceResourceTest {

  private static final FunctionView ALPHA = new FunctionView("alpha", 3, 250, 128, "", List.of());

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "10.0.0.21|",
      "2001:db8::21|",
      "dp-1.pulse.example.com|",
      "127.0.0.1|in the loopback range (127.0.0.0/8, ::1/128)",
      "127.8.9.10|in the loopback range (127.0.0.0/8, ::1/128)",
      "::1|in the loopback range (127.0.0.0/8, ::1/128)",
      "0.0.0.0|unspecified",
      "::|unspecified",
      "169.254.10.1|in the link-local range (169.254.0.0/16, fe80::/10)",
      "fe80::1|in the link-local range (169.254.0.0/16, fe80::/10)",
      "224.0.0.5|in the link-local multicast range (224.0.0.0/24, ff02::/10)",
      "localhost|not a fully qualified domain name (lower case, at least two labels)",
      "DP.example.com|not a fully qualified domain name (lower case, at least two labels)",
  })
  void endpointRefusal_asAnApiServerValidatesEndpointAddresses(String host, String reason) {
    assertThat(AddressKind.endpointRefusal(host)).isEqualTo(Optional.ofNullable(reason));
  }

  @Test
  void make_onlyLoopbackDataPlanes_noSlice() {
    MirrorConfig config = MirrorConfig.defaults("b", "pulse", List.of(new HostPort("127.0.0.1", 8080),
        new HostPort("127.0.0.2", 8080)));

    assertThat(EndpointSliceResource.make(ALPHA, config)).isEmpty();
    assertThat(config.unmirroredDataPlanes()).hasSize(2);
  }

  @Test
  void make_mixedDataPlanes_listsOnlyTheAcceptedOnes() {
    MirrorConfig config = MirrorConfig.defaults("b", "pulse", List.of(new HostPort("127.0.0.1", 8080),
        new HostPort("10.0.0.22", 8080), new HostPort("10.0.0.21", 8080)));

    EndpointSlice slice = EndpointSliceResource.make(ALPHA, config).orElseThrow();

    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getEndpoints()).flatExtracting(e -> e.getAddresses()).containsExactly("10.0.0.21", "10.0.0.22");
    assertThat(slice.getPorts().getFirst().getPort()).isEqualTo(8080);
    assertThat(config.unmirroredDataPlanes()).containsOnlyKeys(new HostPort("127.0.0.1", 8080));
  }
}
