package io.pulse.worker.sandbox.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeSandboxRuntimeTest {

  private static final SandboxSpec IMAGE_ONLY =
      new SandboxSpec("f", 1, "registry.local/f:1", List.of(), 0, Map.of(), new Resources(100, 64), 0);

  @Test
  void create_withoutDelay_isReadyAtOnceWithAnEndpointOnTheAdvertisedHost() throws Exception {
    FakeSandboxRuntime runtime = new FakeSandboxRuntime("10.0.0.5", 0, 30000, 30001);

    CreatedSandbox created = runtime.create("i-1", SandboxKind.EMERGENCY, IMAGE_ONLY).toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    assertThat(created.sandbox().state()).isEqualTo(SandboxState.READY);
    assertThat(created.sandbox().endpoint().host()).isEqualTo("10.0.0.5");
    assertThat(created.sandbox().endpoint().port()).isBetween(30000, 30001);
    assertThat(runtime.list()).containsExactly(created.sandbox());
  }

  @Test
  void create_withDelay_isStartingUntilTheDelayPassed() throws Exception {
    FakeSandboxRuntime runtime = new FakeSandboxRuntime("127.0.0.1", 300, 30000, 39999);

    CompletableFuture<CreatedSandbox> creating = runtime.create("i-1", SandboxKind.REGULAR, IMAGE_ONLY)
        .toCompletableFuture();

    assertThat(runtime.find("i-1")).map(Sandbox::state).hasValue(SandboxState.STARTING);
    assertThat(creating.get(5, TimeUnit.SECONDS).sandbox().state()).isEqualTo(SandboxState.READY);
    assertThat(runtime.find("i-1")).map(Sandbox::state).hasValue(SandboxState.READY);
  }

  @Test
  void markExited_isReportedUntilDeleted() throws Exception {
    FakeSandboxRuntime runtime = new FakeSandboxRuntime("127.0.0.1", 0, 30000, 39999);
    runtime.create("i-1", SandboxKind.REGULAR, IMAGE_ONLY).toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(runtime.markExited("i-1")).isTrue();

    assertThat(runtime.find("i-1")).map(Sandbox::state).hasValue(SandboxState.EXITED);
    assertThat(runtime.delete("i-1").toCompletableFuture().get()).isTrue();
    assertThat(runtime.delete("i-1").toCompletableFuture().get()).isFalse();
    assertThat(runtime.markExited("i-1")).isFalse();
  }

  @Test
  void create_existingId_isAlreadyExists() throws Exception {
    FakeSandboxRuntime runtime = new FakeSandboxRuntime("127.0.0.1", 0, 30000, 39999);
    runtime.create("i-1", SandboxKind.REGULAR, IMAGE_ONLY).toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThatThrownBy(() -> runtime.create("i-1", SandboxKind.REGULAR, IMAGE_ONLY).toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(SandboxException.class,
            e -> assertThat(e.reason()).isEqualTo(SandboxException.Reason.ALREADY_EXISTS));
  }

  @Test
  void creationTimes_ofAFunction_areTheSameSequenceInTwoRunsWithOneSeed_whateverElseTheyCreate() throws Exception {
    FakeProfile profile = new FakeProfile(new Distribution.LogNormal(30, 0.5), Distribution.ZERO, false, 2028);
    FakeSandboxRuntime first = new FakeSandboxRuntime(null, "127.0.0.1", profile, 30000, 39999);
    FakeSandboxRuntime second = new FakeSandboxRuntime(null, "127.0.0.1", profile, 30000, 39999);

    // The first run creates f twice, then g; the second g three times, then f twice.
    List<Long> fInFirst = List.of(precreate(first, "f"), precreate(first, "f"));
    long gInFirst = precreate(first, "g");
    List<Long> gInSecond = List.of(precreate(second, "g"), precreate(second, "g"), precreate(second, "g"));
    List<Long> fInSecond = List.of(precreate(second, "f"), precreate(second, "f"));

    assertThat(fInSecond).isEqualTo(fInFirst);
    assertThat(gInSecond.getFirst()).isEqualTo(gInFirst);
    assertThat(fInFirst).as("f's own stream, not g's").isNotEqualTo(gInSecond.subList(0, 2));
  }

  private static long precreate(FakeSandboxRuntime runtime, String function) throws Exception {
    SandboxSpec spec = new SandboxSpec(function, 1, "registry.local/" + function + ":1", List.of(), 0, Map.of(),
        new Resources(100, 64), 0);
    return runtime.creationMicros(runtime.precreate("m", spec).toCompletableFuture().get(5, TimeUnit.SECONDS));
  }
}
