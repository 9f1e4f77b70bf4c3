package io.pulse.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.controlplane.registry.FunctionRegistry.FunctionExistsException;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionNotFoundException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryApplyTest {

  private static final Instant T1 = Instant.ofEpochSecond(100);
  private static final Instant T2 = Instant.ofEpochSecond(200);

  @Test
  void create_thenUpdate_thenDelete_tellsTheStory() {
    var spec = StateStoreContract.record("web", 1).spec();
    StoredFunction created = RegistryApply.apply(null, new RegistryCommand.Create(spec), 1, T1);
    assertThat(created.function().revision()).isEqualTo(1);
    var changed = new FunctionSpec(spec.name(), spec.image(), spec.command(), spec.port(), Map.of("K", "w"),
        spec.resources(), spec.scaling(), spec.timeoutSeconds());
    StoredFunction updated = RegistryApply.apply(created, new RegistryCommand.Update(changed), 2, T2);
    assertThat(updated.function().revision()).isEqualTo(2);
    assertThat(updated.function().createdAt()).isEqualTo(T1);
    assertThat(updated.function().updatedAt()).isEqualTo(T2);
    StoredFunction deleted = RegistryApply.apply(updated, new RegistryCommand.Delete("web"), 3, T2);
    assertThat(deleted.deleted()).isTrue();
    StoredFunction again = RegistryApply.apply(deleted, new RegistryCommand.Create(spec), 4, T2);
    assertThat(again.function().revision()).isEqualTo(1);
  }

  @Test
  void update_toTheSameSpec_answersTheCurrentEntry() {
    StoredFunction live = StoredFunction.of(4, StateStoreContract.record("web", 3));

    StoredFunction next = RegistryApply.apply(live, new RegistryCommand.Update(live.function().spec()), 5, T2);

    assertThat(next).isSameAs(live);
  }

  @Test
  void create_liveName_fails() {
    var spec = StateStoreContract.record("web", 1).spec();
    StoredFunction live = StoredFunction.of(1, StateStoreContract.record("web", 1));
    assertThatThrownBy(() -> RegistryApply.apply(live, new RegistryCommand.Create(spec), 2, T1))
        .isInstanceOf(FunctionExistsException.class);
  }

  @Test
  void updateOrDelete_tombstone_failsNotFound() {
    StoredFunction tombstone = StoredFunction.tombstone("web", 3);
    assertThatThrownBy(() -> RegistryApply.apply(tombstone, new RegistryCommand.Delete("web"), 4, T1))
        .isInstanceOf(FunctionNotFoundException.class);
    assertThatThrownBy(() -> RegistryApply.apply(null,
        new RegistryCommand.Update(StateStoreContract.record("web", 1).spec()), 4, T1))
        .isInstanceOf(FunctionNotFoundException.class);
  }
}
