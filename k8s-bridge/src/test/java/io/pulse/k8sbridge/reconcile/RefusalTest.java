package io.pulse.k8sbridge.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class RefusalTest {

  private static final Action DELETE_SLICE = new Action.Delete(ObjectKind.ENDPOINT_SLICE, "pulse", "alpha-pulse");

  @Test
  void of_statusWithCauses_keepsReasonMessageAndEveryCause() {
    KubernetesClientException e = new KubernetesClientException(new StatusBuilder().withCode(422)
        .withReason("Invalid").withMessage("EndpointSlice.discovery.k8s.io \"alpha-pulse\" is invalid")
        .withNewDetails().addNewCause().withField("endpoints[0].addresses[0]").withReason("FieldValueInvalid")
          .withMessage("Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)")
        .endCause().endDetails().build());

    Refusal refusal = Refusal.of(DELETE_SLICE, e);

    assertThat(refusal.code()).isEqualTo(422);
    assertThat(refusal.reason()).isEqualTo("Invalid");
    assertThat(refusal.causes()).containsExactly("endpoints[0].addresses[0]: Invalid value: \"127.0.0.1\": "
        + "may not be in the loopback range (127.0.0.0/8, ::1/128)");
    assertThat(refusal.describe()).isEqualTo("Delete ENDPOINT_SLICE pulse/alpha-pulse: 422 Invalid: "
        + "EndpointSlice.discovery.k8s.io \"alpha-pulse\" is invalid [endpoints[0].addresses[0]: Invalid value: "
        + "\"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)]");
  }

  @Test
  void of_noStatus_reasonIsTheHttpCode() {
    Refusal refusal = Refusal.of(DELETE_SLICE, new KubernetesClientException("gone", 404, null));

    assertThat(refusal.reason()).isEqualTo("HTTP404");
    assertThat(refusal.message()).isEqualTo("gone");
    assertThat(refusal.causes()).isEmpty();
  }
}
