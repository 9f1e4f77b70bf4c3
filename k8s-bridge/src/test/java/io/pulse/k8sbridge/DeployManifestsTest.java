package io.pulse.k8sbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pulse.k8sbridge.resources.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/k8s/ as the bridge needs it: the verbs it uses, and the admission policy for its virtual Nodes. */
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("..", "deploy", "k8s");

  @Test
  void rbac_grantsTheStatusPatchesAndFreshReadsTheBridgeMakes() throws IOException {
    List<PolicyRule> rules = new ArrayList<>();
    for (HasMetadata item : load("rbac.yaml")) {
      if (item instanceof ClusterRole role) {
        rules.addAll(role.getRules());
      } else if (item instanceof Role role) {
        rules.addAll(role.getRules());
      }
    }
    assertThat(verbs(rules, "nodes/status")).contains("patch");
    assertThat(verbs(rules, "pods/status")).contains("patch");
    for (String resource : List.of("nodes", "pods", "services", "endpointslices", "leases")) {
      assertThat(verbs(rules, resource)).as(resource).contains("get", "update");
    }
  }

  @Test
  void admissionPolicy_paramsAreOurNodes_andKustomizationAppliesIt() throws IOException {
    List<HasMetadata> items = load("admission-policy.yaml");
    ValidatingAdmissionPolicy policy = (ValidatingAdmissionPolicy) items.get(0);
    ValidatingAdmissionPolicyBinding binding = (ValidatingAdmissionPolicyBinding) items.get(1);

    assertThat(policy.getSpec().getParamKind().getKind()).isEqualTo("Node");
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules().getFirst().getResources())
        .containsExactly("pods", "pods/binding");
    assertThat(policy.getSpec().getValidations().getFirst().getExpression()).contains(Labels.MANAGED_BY);
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(binding.getSpec().getParamRef().getSelector().getMatchExpressions().getFirst().getKey())
        .isEqualTo(Labels.MANAGED_BY);
    assertThat(Files.readString(DEPLOY.resolve("kustomization.yaml"))).contains("- admission-policy.yaml");
  }

  private static List<String> verbs(List<PolicyRule> rules, String resource) {
    return rules.stream().filter(r -> r.getResources().contains(resource)).flatMap(r -> r.getVerbs().stream())
        .toList();
  }

  private static List<HasMetadata> load(String file) throws IOException {
    List<HasMetadata> items = new ArrayList<>();
    for (String document : Files.readString(DEPLOY.resolve(file)).split("(?m)^---$")) {
      if (!document.isBlank()) {
        items.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return items;
  }
}
