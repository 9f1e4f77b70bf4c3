package io.pulse.controlplane.registry;

import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.pulse.controlplane.state.InvocationHorizon;
import io.pulse.controlplane.state.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (surefire's default includes skip it; it asserts nothing): function registrations per
 * second through the durable registry on one replica (RocksDB, every acknowledged write fsync'd), one at a time and
 * with 64 in flight, three rounds each. Run: {@code ./mvnw -pl control-plane -am verify
 * -Dtest=RegistrationThroughputProbe -Dsurefire.failIfNoSpecifiedTests=false}, read the PROBE lines.
 */
class RegistrationThroughputProbe {

  private static final int REGISTRATIONS = 1_000;

  @Test
  void probe() throws Exception {
    for (int inFlight : List.of(1, 64)) {
      StateStore store = StateStore.rocksDb(Files.createTempDirectory("probe"));
      ReplicatedFunctionRegistry registry = new ReplicatedFunctionRegistry(Clock.systemUTC(), store,
          RegistryReplication.solo(1), new InvocationHorizon(Duration.ofHours(24)));
      StringBuilder line = new StringBuilder("registrations inFlight=" + inFlight + ":");
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        List<Future<?>> window = new ArrayList<>();
        for (int i = 0; i < REGISTRATIONS; i++) {
          window.add(registry.create(FunctionSpecParser.parse(new JsonObject().put("name", "f" + round + "-" + i)
              .put("command", new JsonArray().add("x")))));
          if (window.size() == inFlight) {
            for (Future<?> f : window) {
              f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            window.clear();
          }
        }
        for (Future<?> f : window) {
          f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        line.append(String.format(" round%d %.0f/s", round + 1, REGISTRATIONS / secs));
      }
      System.out.println("PROBE " + line);
      registry.close();
      store.close();
    }
  }
}
