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
    List<ValidatingAdmissionPolicy> policies = items.stream().filter(ValidatingAdmissionPolicy.class::isInstance)
        .map(ValidatingAdmissionPolicy.class::cast).toList();
    List<ValidatingAdmissionPolicyBinding> bindings = items.stream()
        .filter(ValidatingAdmissionPolicyBinding.class::isInstance).map(ValidatingAdmissionPolicyBinding.class::cast)
        .toList();

    assertThat(policies).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("pulse-virtual-nodes", "pulse-virtual-nodes-binding");
    assertThat(bindings).extracting(b -> b.getSpec().getPolicyName())
        .containsExactlyInAnyOrderElementsOf(policies.stream().map(p -> p.getMetadata().getName()).toList());
    for (ValidatingAdmissionPolicy policy : policies) {
      assertThat(policy.getSpec().getParamKind().getKind()).isEqualTo("Node");
    }
    assertThat(policy(policies, "pulse-virtual-nodes").getSpec().getValidations().getFirst().getExpression())
        .contains(Labels.MANAGED_BY);
    for (ValidatingAdmissionPolicyBinding binding : bindings) {
      assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
      assertThat(binding.getSpec().getParamRef().getSelector().getMatchExpressions().getFirst().getKey())
          .isEqualTo(Labels.MANAGED_BY);
    }
    assertThat(Files.readString(DEPLOY.resolve("kustomization.yaml"))).contains("- admission-policy.yaml");
  }

  /**
   * What kube-apiserver v1.36.2 did with the first policy, which matched pods and pods/binding at once: on a Pod
   * create {@code request.subResource} is absent ("no such key", not ''), and a Pod has no {@code target}, so one of
   * its expressions was an error on every Pod create and failurePolicy Fail denied them all, the bridge's own Pods
   * included, while a Pulse Node existed. Each policy now matches one resource and reads only fields of that object.
   */
  @Test
  void admissionPolicy_eachPolicyOneResource_andNoExpressionReadsWhatARealServerOmits() throws IOException {
    List<ValidatingAdmissionPolicy> policies = load("admission-policy.yaml").stream()
        .filter(ValidatingAdmissionPolicy.class::isInstance).map(ValidatingAdmissionPolicy.class::cast).toList();

    assertThat(resources(policy(policies, "pulse-virtual-nodes"))).containsExactly("pods");
    assertThat(resources(policy(policies, "pulse-virtual-nodes-binding"))).containsExactly("pods/binding");
    for (ValidatingAdmissionPolicy policy : policies) {
      for (var validation : policy.getSpec().getValidations()) {
        assertThat(validation.getExpression()).as(policy.getMetadata().getName())
            .doesNotContain("request.subResource");
      }
    }
    assertThat(expressions(policy(policies, "pulse-virtual-nodes"))).doesNotContain("object.target");
    assertThat(expressions(policy(policies, "pulse-virtual-nodes-binding"))).doesNotContain("object.spec")
        .contains("object.target.name");
  }

  private static ValidatingAdmissionPolicy policy(List<ValidatingAdmissionPolicy> policies, String name) {
    return policies.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> resources(ValidatingAdmissionPolicy policy) {
    return policy.getSpec().getMatchConstraints().getResourceRules().stream()
        .flatMap(r -> r.getResources().stream()).toList();
  }

  private static String expressions(ValidatingAdmissionPolicy policy) {
    return String.join("\n", policy.getSpec().getValidations().stream().map(v -> v.getExpression()).toList());
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
