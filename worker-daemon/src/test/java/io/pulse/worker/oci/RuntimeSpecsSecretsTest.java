package io.pulse.worker.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sandbox's secrets directory is bind-mounted read-only at /var/run/secrets/pulse, and only when it has secrets. */
class RuntimeSpecsSecretsTest {

  private static List<JsonObject> mounts(String secretsSource) {
    SpecInputs in = new SpecInputs("h", List.of("/bin/true"), List.of(), "", "", false, false, 0, 0, 0, "pulse:i-1",
        Map.of(), secretsSource);
    return RuntimeSpecs.build(in).getJsonArray("mounts").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void secretsSource_isBoundReadOnlyAfterRun() {
    List<JsonObject> mounts = mounts("/run/pulse/secrets/pulse/i-1");
    JsonObject secrets = mounts.getLast();

    assertThat(secrets.getString("destination")).isEqualTo("/var/run/secrets/pulse");
    assertThat(secrets.getString("type")).isEqualTo("bind");
    assertThat(secrets.getString("source")).isEqualTo("/run/pulse/secrets/pulse/i-1");
    assertThat(secrets.getJsonArray("options").getList()).contains("rbind", "ro", "nosuid", "nodev", "noexec");
    assertThat(mounts.stream().map(m -> m.getString("destination")).toList().indexOf("/run"))
        .isLessThan(mounts.size() - 1);
  }

  @Test
  void noSecrets_noMount() {
    assertThat(mounts(null)).extracting(m -> m.getString("destination")).doesNotContain("/var/run/secrets/pulse");
  }
}
