package io.pulse.controlplane.registry;

import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.async.InvocationState;
import io.pulse.controlplane.state.InvocationHorizon;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.testing.ManualClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (surefire's default includes skip it; it asserts nothing): async invocations through the
 * registry on one replica (accept, running, succeeded, forget: four writes each), three rounds, with and without a
 * purge between rounds. Run: {@code ./mvnw -pl control-plane -am verify -Dtest=PurgeThroughputProbe
 * -Dsurefire.failIfNoSpecifiedTests=false}, read the PROBE lines. Figures in docs/benchmarks.md.
 */
class PurgeThroughputProbe {

  @Test
  void probe() throws Exception {
    for (String storeKind : List.of("memory", "rocksdb")) {
      for (boolean purge : List.of(false, true)) {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-03T12:00:00Z"));
        StateStore store = storeKind.equals("memory") ? StateStore.inMemory()
            : StateStore.rocksDb(Files.createTempDirectory("probe"));
        ReplicatedFunctionRegistry r = new ReplicatedFunctionRegistry(clock, store, RegistryReplication.solo(1),
            new InvocationHorizon(Duration.ofHours(24)));
        int n = storeKind.equals("memory") ? 5000 : 2000;
        StringBuilder line = new StringBuilder(storeKind + " purge=" + purge + ":");
        for (int round = 0; round < 3; round++) {
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            String id = "r" + round + "-" + i;
            Invocation a = get(r.accept(Invocation.accepted(id, "fn", "POST", "/", List.of(), "", null,
                clock.instant())));
            Invocation run = get(r.change(a.running()));
            get(r.change(run.finished(InvocationState.SUCCEEDED, new Invocation.Outcome(200, "", null),
                clock.instant())));
            get(r.forget(id));
          }
          double secs = (System.nanoTime() - t0) / 1e9;
          line.append(String.format(" round%d %.0f inv/s (%d entries before purge)", round + 1, n / secs,
              r.storedInvocationEntries()));
          if (purge) {
            clock.advance(Duration.ofHours(25));
            get(r.purgeExpired());
          }
        }
        System.out.println("PROBE " + line);
        r.close();
        store.close();
      }
    }
  }

  private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
