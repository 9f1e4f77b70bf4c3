package io.pulse.bench.experiment;

import io.pulse.bench.driver.ApiClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's accounting as it stood when a replay's measured window began: taken by a thread of its own
 * while the driver sends the lead-in and the window, so the window's cost is the accounting at its end minus this
 * ({@link Accounts#between}). Without a lead-in it is the empty accounting, taken at once.
 */
final class AccountingAt implements AutoCloseable {

  private final ScheduledExecutorService timer;
  private final CompletableFuture<JsonObject> taken = new CompletableFuture<>();

  private AccountingAt(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Takes the accounting {@code delayMicros} from now (0: nothing before the window to subtract). */
  static AccountingAt after(ApiClient api, long delayMicros) {
    AccountingAt at = new AccountingAt(Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "accounting-at-window-start");
      thread.setDaemon(true);
      return thread;
    }));
    if (delayMicros <= 0) {
      at.taken.complete(new JsonObject());
    } else {
      at.timer.schedule(() -> {
        try {
          at.taken.complete(api.get("/v1/accounting"));
        } catch (RuntimeException e) {
          at.taken.completeExceptionally(e);
        }
      }, delayMicros, TimeUnit.MICROSECONDS);
    }
    return at;
  }

  /** The accounting at the window's start; waits for it if the driver finished first (an empty window). */
  JsonObject get() {
    return taken.join();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
