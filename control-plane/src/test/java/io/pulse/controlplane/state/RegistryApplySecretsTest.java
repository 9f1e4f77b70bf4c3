package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.pulse.controlplane.secrets.SealedValue;
import io.pulse.controlplane.secrets.SecretExistsException;
import io.pulse.controlplane.secrets.SecretInUseException;
import io.pulse.controlplane.secrets.SecretNotFoundException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RegistryApply#next} on secrets, and the checks between functions and secrets. */
class RegistryApplySecretsTest {

  private static final Instant T1 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2025-01-02T00:00:00Z");
  private static final SealedValue SEALED = new SealedValue("k1", "bm9uY2U=", "Y2lwaGVy");

  private final Map<String, StoredEntry> state = new HashMap<>();
  private long seq;

  private StoredEntry apply(RegistryCommand command, Instant now) {
    StoredEntry next = RegistryApply.next(Map.copyOf(state), command, ++seq, now);
    state.put(next.key(), next);
    return next;
  }

  static FunctionSpec specNaming(String name, Object... secrets) {
    return FunctionSpecParser.parse(new JsonObject().put("name", name).put("command", new JsonArray().add("x"))
        .put("secrets", new JsonArray(java.util.List.of(secrets))));
  }

  @Test
  void createUpdateDelete_secret_revisionsGrowAndDeleteLeavesATombstone() {
    StoredSecret created = (StoredSecret) apply(new RegistryCommand.CreateSecret("db", SEALED), T1);
    assertThat(created.key()).isEqualTo("secret/db");
    assertThat(created.secret().revision()).isEqualTo(1);
    StoredSecret updated = (StoredSecret) apply(new RegistryCommand.UpdateSecret("db", SEALED), T2);
    assertThat(updated.secret().revision()).isEqualTo(2);
    assertThat(updated.secret().createdAt()).isEqualTo(T1);
    assertThat(updated.secret().updatedAt()).isEqualTo(T2);
    assertThat(apply(new RegistryCommand.DeleteSecret("db"), T2).deleted()).isTrue();
  }

  @Test
  void create_liveSecret_isRefused_updateOrDeleteOfAMissingOne_isNotFound() {
    apply(new RegistryCommand.CreateSecret("db", SEALED), T1);
    assertThatThrownBy(() -> apply(new RegistryCommand.CreateSecret("db", SEALED), T1))
        .isInstanceOf(SecretExistsException.class);
    assertThatThrownBy(() -> apply(new RegistryCommand.UpdateSecret("nope", SEALED), T1))
        .isInstanceOf(SecretNotFoundException.class);
    assertThatThrownBy(() -> apply(new RegistryCommand.DeleteSecret("nope"), T1))
        .isInstanceOf(SecretNotFoundException.class);
  }

  @Test
  void secretAndFunctionOfTheSameName_liveSideBySide() {
    apply(new RegistryCommand.CreateSecret("web", SEALED), T1);
    apply(new RegistryCommand.Create(specNaming("web", "web")), T1);
    assertThat(state).containsKeys("web", "secret/web");
  }

  @Test
  void createOrUpdateFunction_namingAMissingSecret_isRefusedNamingTheField() {
    apply(new RegistryCommand.CreateSecret("db", SEALED), T1);
    assertThatThrownBy(() -> apply(new RegistryCommand.Create(specNaming("web", "db", "missing")), T1))
        .isInstanceOf(InvalidFunctionSpecException.class)
        .hasMessageContaining("secret 'missing' does not exist")
        .extracting(e -> ((InvalidFunctionSpecException) e).field()).isEqualTo("secrets[1]");
    apply(new RegistryCommand.Create(specNaming("web", "db")), T1);
    JsonObject withEnv = new JsonObject().put("name", "gone").put("env", "GONE");
    assertThatThrownBy(() -> apply(new RegistryCommand.Update(specNaming("web", "db", withEnv)), T2))
        .isInstanceOf(InvalidFunctionSpecException.class)
        .extracting(e -> ((InvalidFunctionSpecException) e).field()).isEqualTo("secrets[1].name");
  }

  @Test
  void deleteSecret_usedByLiveFunctions_isRefusedNamingThem_andAllowedOnceTheyAreGone() {
    apply(new RegistryCommand.CreateSecret("db", SEALED), T1);
    apply(new RegistryCommand.Create(specNaming("web", "db")), T1);
    apply(new RegistryCommand.Create(specNaming("api", new JsonObject().put("name", "db").put("env", "DB"))), T1);
    assertThatThrownBy(() -> apply(new RegistryCommand.DeleteSecret("db"), T2))
        .isInstanceOf(SecretInUseException.class)
        .hasMessageContaining("functions api, web")
        .extracting(e -> ((SecretInUseException) e).functions()).asList().containsExactly("api", "web");
    apply(new RegistryCommand.Delete("web"), T2);
    apply(new RegistryCommand.Delete("api"), T2);
    assertThat(apply(new RegistryCommand.DeleteSecret("db"), T2).deleted()).isTrue();
  }
}
