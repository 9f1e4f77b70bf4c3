package io.pulse.controlplane.async;

import io.pulse.common.time.Timers;
import io.pulse.controlplane.registry.AsyncSettings;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.NotLeaderException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's runner of async invocations: asks {@link Dispatch} what to do, then does it. An attempt is first made
 * durable as RUNNING (its attempt counted), then sent through a data plane's gateway ({@code /fn/NAME/URI}), then its
 * outcome is stored; a finished invocation's result goes to its callback URL, once, best effort. Everything runs on
 * the one Vert.x context it is started on; a new leader starts a new one, which picks up from the replicated store.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** Upper bound of a round's pause; a round also runs at once after an acceptance or an attempt's end. */
  private static final long TICK_MS = 200;
  private static final long CALLBACK_TIMEOUT_MS = 10_000;
  private static final int MAX_CONNECTIONS = 512;

  private final Vertx vertx;
  private final Context context;
  private final InvocationRegistry invocations;
  private final FunctionRegistry functions;
  private final Supplier<List<String>> gateways;
  private final Dispatch.Limits limits;
  private final Clock clock;
  private final AsyncMetrics metrics;
  private final HttpClient client;
  /** Ids with an attempt (or a write) on its way from this dispatcher; context only. */
  private final Set<String> inFlight = new HashSet<>();
  private final Set<String> forgetting = new HashSet<>();
  /** Runs its actions on the context (Vert.x timers are asked for there; a test's manual timers on its thread). */
  private final Timers timers;
  private Timers.@Nullable Timer rounds;
  private boolean roundQueued;
  private boolean stopped;
  private int nextGateway;

  /** @param context where every round, callback and bookkeeping runs */
  public Dispatcher(Context context, InvocationRegistry invocations, FunctionRegistry functions,
      Supplier<List<String>> gateways, Dispatch.Limits limits, Clock clock, AsyncMetrics metrics) {
    this(context, Timers.of(context.owner()), invocations, functions, gateways, limits, clock, metrics);
  }

  /** @param timers the periodic round's; their actions must run on {@code context} */
  public Dispatcher(Context context, Timers timers, InvocationRegistry invocations, FunctionRegistry functions,
      Supplier<List<String>> gateways, Dispatch.Limits limits, Clock clock, AsyncMetrics metrics) {
    this.vertx = context.owner();
    this.timers = timers;
    this.context = context;
    this.invocations = invocations;
    this.functions = functions;
    this.gateways = gateways;
    this.limits = limits;
    this.clock = clock;
    this.metrics = metrics;
    // Attempts wait on their function (up to its timeout): one connection each, so the pool must not be what
    // limits the functions' async concurrency.
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
  }

  /** Begins the rounds. */
  public void start() {
    context.runOnContext(v -> {
      rounds = timers.every(TICK_MS, this::round);
      round();
    });
  }

  /** Any thread: runs a round soon (an acceptance, an attempt's end); rounds asked for meanwhile fold into one. */
  public void kick() {
    context.runOnContext(v -> {
      if (!roundQueued) {
        roundQueued = true;
        context.runOnContext(w -> {
          roundQueued = false;
          round();
        });
      }
    });
  }

  /** Any thread: no further round or write; attempts on their way end without being stored. */
  public void stop() {
    context.runOnContext(v -> {
      stopped = true;
      if (rounds != null) {
        rounds.cancel();
      }
      client.close();
    });
  }

  /** The registry completes on its writer thread: come back to the context. */
  private <T> Future<T> here(Future<T> future) {
    io.vertx.core.Promise<T> back = io.vertx.core.Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> back.handle(ar)));
    return back.future();
  }

  private void round() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    Dispatch.Plan plan = Dispatch.plan(invocations.invocations(), inFlight, this::settingsOf, now, limits);
    for (Invocation orphan : plan.orphaned()) {
      finish(orphan, orphan.finished(InvocationState.FAILED,
          new Invocation.Outcome(0, "", "function '" + orphan.function() + "' was deleted"), now));
    }
    for (Invocation invocation : plan.start()) {
      begin(invocation);
    }
    for (String id : plan.forget()) {
      if (forgetting.add(id)) {
        here(invocations.forget(id)).onComplete(ar -> forgetting.remove(id));
      }
    }
  }

  private @Nullable AsyncSettings settingsOf(String function) {
    return functions.get(function).map(record -> record.spec().async()).orElse(null);
  }

  private void begin(Invocation invocation) {
    inFlight.add(invocation.id());
    if (invocation.attempts() > 0) {
      metrics.retried();
    }
    here(invocations.change(invocation.running())).onComplete(ar -> {
      if (ar.failed()) {
        inFlight.remove(invocation.id());
        refused(ar.cause());
        return;
      }
      Invocation running = ar.result();
      attempt(running).onComplete(outcome -> {
        if (stopped) {
          inFlight.remove(running.id());
          return; // the next leader runs it again
        }
        AsyncSettings settings = settingsOf(running.function());
        Invocation next = Dispatch.afterAttempt(running, outcome.result(),
            settings != null ? settings : AsyncSettings.DEFAULTS, clock.instant());
        finish(running, next);
      });
    });
  }

  /** Stores what an attempt (or a deleted function) made of the invocation, then tells its callback. */
  private void finish(Invocation before, Invocation next) {
    inFlight.add(before.id());
    here(invocations.change(next)).onComplete(ar -> {
      inFlight.remove(before.id());
      if (ar.failed()) {
        refused(ar.cause());
        return;
      }
      metrics.ended(next);
      if (next.state() == InvocationState.FAILED) {
        LOG.atWarn().setMessage("async invocation dead-lettered").addKeyValue("id", next.id())
            .addKeyValue("function", next.function()).addKeyValue("attempts", next.attempts())
            .addKeyValue("status", next.result() == null ? 0 : next.result().status()).log();
      }
      if (next.state().finished() && next.callbackUrl() != null) {
        callback(next);
      }
      kick();
    });
  }

  private void refused(Throwable cause) {
    if (cause instanceof NotLeaderException) {
      return; // the term is ending; the next leader picks up from the store
    }
    LOG.atWarn().setMessage("async invocation write failed").addKeyValue("error", cause.toString()).log();
  }

  /** One attempt through a gateway; never fails: no answer is an outcome with status 0. */
  private Future<Invocation.Outcome> attempt(Invocation invocation) {
    List<String> urls = gateways.get();
    if (urls.isEmpty()) {
      return Future.succeededFuture(new Invocation.Outcome(0, "", "no data plane connected"));
    }
    String gateway = urls.get(Math.floorMod(nextGateway++, urls.size()));
    int timeoutSeconds = functions.get(invocation.function()).map(FunctionRecord::spec)
        .map(spec -> spec.async().timeoutSecondsOr(spec.timeoutSeconds())).orElse(60);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(invocation.method()))
        .setAbsoluteURI(gateway + "/fn/" + invocation.function() + invocation.uri())
        .setTimeout(timeoutSeconds * 1000L);
    invocation.headers().forEach(h -> options.addHeader(h.name(), h.value()));
    options.putHeader("Pulse-Invocation-Id", invocation.id());
    Buffer body = Buffer.buffer(Base64.getDecoder().decode(invocation.body64()));
    return client.request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(answer -> new Invocation.Outcome(response.statusCode(),
            Base64.getEncoder().encodeToString(cut(answer)), null)))
        .otherwise(failure -> new Invocation.Outcome(0, "", String.valueOf(failure.getMessage())));
  }

  private byte[] cut(Buffer answer) {
    return answer.length() <= limits.maxResultBodyBytes() ? answer.getBytes()
        : answer.getBytes(0, limits.maxResultBodyBytes());
  }

  private void callback(Invocation finished) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(java.util.Objects.requireNonNull(finished.callbackUrl())).setTimeout(CALLBACK_TIMEOUT_MS)
        .putHeader("Content-Type", "application/json").putHeader("Pulse-Invocation-Id", finished.id());
    client.request(options)
        .compose(request -> request.send(InvocationView.toJson(finished).toBuffer()))
        .compose(response -> response.body().map(response.statusCode()))
        .onComplete(ar -> {
          if (ar.failed() || ar.result() >= 300) {
            LOG.atWarn().setMessage("async callback not delivered").addKeyValue("id", finished.id())
                .addKeyValue("error", ar.failed() ? ar.cause().toString() : "status " + ar.result()).log();
          }
        });
  }
}
