package io.pulse.dataplane.expedited;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pulse.api.v1.SecretFile;
import io.pulse.dataplane.routing.SandboxTemplate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpcSandboxCreatorTest {

  @Test
  void spec_passesTheRoutesSecretsOnAsTheyCame_andTheTemplatePrintsNoValue() {
    SecretFile secret = SecretFile.newBuilder().setName("db").setValue(ByteString.copyFromUtf8("pa55-w0rd"))
        .setEnv("DB").build();
    SandboxTemplate template = new SandboxTemplate("web", 2, "", List.of("run"), 0, Map.of("K", "v"), 250, 128, 5000,
        List.of(secret));

    assertThat(GrpcSandboxCreator.spec(template).getSecretsList()).containsExactly(secret);
    assertThat(template.toString()).doesNotContain("pa55-w0rd").contains("secrets=1");
  }

  @Test
  void spec_carriesTheRevisionsPrewarm() {
    SandboxTemplate template = new SandboxTemplate("web", 3, "example.org/web:v1", List.of(), 0, Map.of(), 250, 128,
        5000, List.of(), 2);

    assertThat(GrpcSandboxCreator.spec(template).getPrewarm()).isEqualTo(2);
  }
}
