package io.pulse.dataplane;

import io.pulse.common.http.Authority;
import io.pulse.common.http.DeclaredLength;
import io.pulse.common.http.FailureRefs;
import io.pulse.common.http.JsonErrors;
import io.pulse.dataplane.async.AsyncAccept;
import io.pulse.dataplane.async.AsyncTarget;
import io.pulse.dataplane.coldstart.ColdStartException;
import io.pulse.dataplane.coldstart.ColdStartException.Reason;
import io.pulse.dataplane.coldstart.WaitQueue;
import io.pulse.dataplane.coldstart.WaitQueues;
import io.pulse.dataplane.expedited.EmergencyInstance;
import io.pulse.dataplane.expedited.ExpeditedTrack;
import io.pulse.dataplane.expedited.Launch;
import io.pulse.dataplane.expedited.Reservation;
import io.pulse.dataplane.failures.FailureNote;
import io.pulse.dataplane.failures.FailureNotes;
import io.pulse.dataplane.failures.PublicErrors;
import io.pulse.dataplane.proxy.Exchanged;
import io.pulse.dataplane.proxy.ForwardTarget;
import io.pulse.dataplane.proxy.Forwarder;
import io.pulse.dataplane.proxy.UnreadBody;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.RequestTarget;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.stats.LoadReporter;
import io.pulse.dataplane.stats.MetricFilter;
import io.pulse.dataplane.stats.RequestTicket;
import io.pulse.dataplane.tracks.TrackChoice;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The path of one request: resolve the function, take a grant (a Regular slot, an idle Emergency Instance, or
 * headroom to create one) or park for one, proxy, account. Shared by every gateway verticle; all state it touches is
 * thread-safe, and each request stays on its own event loop.
 */
final class Invocations {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Invocations.class);

  private static final int FALLBACK_TIMEOUT_SECONDS = 300;
  /** Creations a request may try on the expedited track before it gives up with 502. */
  private static final int MAX_EMERGENCY_ATTEMPTS = 3;

  /**
   * One request on its way: what every step needs. {@code deadline} (nanoTime) bounds its wait for an instance,
   * whatever the track; {@code ref} names its earlier attempts' failures, once one failed; {@code rerouted}: it went
   * to another instance after one refused the connection (its one extra attempt); {@code ticket} moves its load
   * counters, whatever path it takes.
   */
  private record Call(HttpServerRequest request, Forwarder forwarder, Route route, RequestTarget target,
      RequestTicket ticket, long arrival, long deadline, int attempt, @Nullable String ref, boolean rerouted) {
    String function() {
      return route.function();
    }

    Call retry(String failureRef) {
      return new Call(request, forwarder, route, target, ticket, arrival, deadline, attempt + 1, failureRef,
          rerouted);
    }

    Call reroute(String failureRef) {
      return new Call(request, forwarder, route, target, ticket, arrival, deadline, attempt + 1, failureRef, true);
    }

    long remainingMillis() {
      return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }
  }

  private final Vertx vertx;
  private final DataPlaneConfig config;
  private final RoutingState routing;
  private final WaitQueues<Grant> queues;
  private final ExchangeAccounting accounting;
  private final LoadReporter reporter;
  private final GatewayMetrics metrics;
  private final ExpeditedTrack expedited;
  private final MetricFilter filter;
  private final FailureNotes notes;
  private final TrackChoice tracks;
  private final AsyncAccept async;

  Invocations(Vertx vertx, DataPlaneConfig config, RoutingState routing, WaitQueues<Grant> queues,
      ExchangeAccounting accounting, LoadReporter reporter, GatewayMetrics metrics, ExpeditedTrack expedited,
      MetricFilter filter, FailureNotes notes, TrackChoice tracks, AsyncAccept async) {
    this.vertx = vertx;
    this.config = config;
    this.routing = routing;
    this.queues = queues;
    this.accounting = accounting;
    this.reporter = reporter;
    this.metrics = metrics;
    this.expedited = expedited;
    this.filter = filter;
    this.notes = notes;
    this.tracks = tracks;
    this.async = async;
  }

  /**
   * {@code refused}: the ref of the failure when the byte-level forwarder handed the request over because its
   * instance refused the connection: it was accounted as arrived there, and that attempt was its one reroute.
   */
  void handle(HttpServerRequest request, Forwarder forwarder, @Nullable String refused) {
    request.pause(); // the body waits (unread, back-pressured) until an instance can take it
    long arrival = System.nanoTime();
    // The authority is the Host header over HTTP/1.1 and the :authority pseudo-header over HTTP/2.
    String authority = Authority.of(request);
    String asyncHeader = request.getHeader(AsyncTarget.ASYNC_HEADER);
    boolean asynchronous = AsyncTarget.wanted(authority, request.path(), config.domain(), asyncHeader);
    RequestTarget target = asynchronous
        ? AsyncTarget.resolve(authority, request.path(), request.query(), config.domain(), asyncHeader)
        : RequestTarget.resolve(authority, request.path(), request.query(), config.domain());
    if (target == null) {
      reject(request, 404, RequestTarget.hint(config.domain()));
      return;
    }
    RoutingTable table = routing.current();
    if (!table.loaded()) {
      reject(request, 503, "no routing table yet: the data plane has not heard from the control plane");
      return;
    }
    Route route = table.route(target.function());
    if (route == null) {
      reject(request, 404, "function '" + target.function() + "' not found");
      return;
    }
    if (asynchronous) {
      async.accept(request, target); // stored by the leader, run later by its dispatcher through a gateway
      return;
    }
    String function = route.function();
    if (DeclaredLength.of(request) > config.maxRequestBodyBytes()) {
      metrics.invocation(function, 413, arrival);
      UnreadBody.discardThen(request, () -> JsonErrors.send(request.response(), 413,
          "request body larger than " + config.maxRequestBodyBytes() + " bytes", "Content-Length"));
      return;
    }
    long deadline = arrival + TimeUnit.MILLISECONDS.toNanos(config.queueTimeoutMs());
    if (refused == null) {
      admit(new Call(request, forwarder, route, target, accounting.arrived(function), arrival, deadline, 1, null,
          false));
    } else {
      admit(new Call(request, forwarder, route, target, accounting.handedOver(function), arrival, deadline, 2,
          refused, true));
    }
  }

  private void admit(Call call) {
    String function = call.function();
    WaitQueue<Grant> queue = queues.queue(function);
    WaitQueue.Admission<Grant> admission;
    try {
      admission = queue.admit(queues.slotsOf(function));
    } catch (RuntimeException e) {
      // A bug in the slot source: the request gets an answer rather than a hang (the queue kept the others).
      LOG.atError().setMessage("admission failed").addKeyValue("function", function).setCause(e).log();
      call.ticket().ended();
      metrics.invocation(function, 500, call.arrival());
      reject(call.request(), 500, "internal error while admitting the request for function '" + function + "'");
      return;
    }
    switch (admission) {
      case WaitQueue.Admission.Granted<Grant> granted -> go(call, granted.slot());
      case WaitQueue.Admission.Full<Grant> full -> {
        call.ticket().rejected();
        metrics.invocation(function, 503, call.arrival());
        reject(call.request(), 503, "queue full (" + full.waiting() + " waiting) for function '" + function + "'"
            + noCapacity(function));
      }
      case WaitQueue.Admission.Parked<Grant> parked -> park(call, queue, parked.waiter());
    }
  }

  private void park(Call call, WaitQueue<Grant> queue, WaitQueue.Waiter<Grant> waiter) {
    String function = call.function();
    call.ticket().queued();
    boolean cold = call.route().instances().isEmpty();
    if (cold && call.attempt() == 1) {
      metrics.coldStart(function);
      reporter.scaleFromZero(function);
    }
    // What is left of the request's deadline: a retry after a failed creation does not start the clock again.
    long timer = vertx.setTimer(Math.max(1, call.remainingMillis()), id -> queue.cancel(waiter,
        new ColdStartException(Reason.DEADLINE, notReadyInTime(function))));
    call.request().response().closeHandler(v -> queue.cancel(waiter,
        new ColdStartException(Reason.CLIENT_GONE, "client went away")));
    if (routing.current().route(function) == null) {
      // Removed between our read and our parking: the removal's wake-up may have missed us.
      queue.cancel(waiter, new ColdStartException(Reason.FUNCTION_REMOVED,
          "function '" + function + "' was removed while the request waited for an instance"));
    }
    waiter.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        if (cold) {
          metrics.coldStartServed(function, call.arrival());
        }
        go(call, ar.result());
      } else {
        call.ticket().ended();
        int status = statusOf(ar.cause());
        metrics.invocation(function, status, call.arrival());
        if (status == 504) {
          answerNotReady(call, call.ref());
        } else if (status != Forwarder.CLIENT_CLOSED) {
          reject(call.request(), status, ar.cause().getMessage());
        }
      }
    });
  }

  /** A grant arrived (at once, or after waiting in the queue): account for it and send the request on. */
  private void go(Call call, Grant grant) {
    String function = call.function();
    switch (grant) {
      case Grant.Regular regular -> {
        ExchangeAccounting.RegularSlot slot = accounting.regular(function, call.ticket(), regular);
        forward(call, slot.instance(), true, exchanged -> {
          if (slot.ended(exchanged)) {
            // Nothing of the request reached the function: another instance, or a wait (maybe an expedited creation).
            admit(call.reroute(java.util.Objects.requireNonNull(exchanged.failure()).ref()));
          }
        });
      }
      case Grant.Warm warm -> {
        expeditedStarted(call);
        forwardEmergency(call, warm.instance(), warm.fresh());
      }
      case Grant.Fresh fresh -> {
        int dispatch = expeditedStarted(call);
        long remaining = call.remainingMillis();
        if (call.request().response().closed() || remaining <= 0) {
          expedited.cancel(fresh.reservation()); // ends the creation: its places go back
          call.ticket().ended();
          if (call.request().response().closed()) {
            metrics.invocation(function, Forwarder.CLIENT_CLOSED, call.arrival());
          } else {
            metrics.invocation(function, 504, call.arrival());
            answerNotReady(call, call.ref());
          }
          return;
        }
        expedited.launch(call.route(), fresh.reservation(), remaining).onComplete(ar -> {
          Launch launch = ar.succeeded() ? ar.result()
              : new Launch.Failed("", fresh.reservation().worker().id(), "UNKNOWN", String.valueOf(ar.cause()), false);
          if (launch instanceof Launch.Launched launched) {
            EmergencyInstance instance = launched.instance();
            Reservation placed = fresh.reservation();
            tracks.created(function, instance.revision(), placed.worker().id(), instance.creationMicros() * 1_000,
                placed.othersCreating());
          }
          switch (launch) {
            case Launch.Launched launched -> forwardEmergency(call, launched.instance(), true);
            case Launch.Failed failed -> {
              call.ticket().released(dispatch);
              launchFailed(call, failed);
            }
          }
        });
      }
    }
  }

  /** An Emergency Instance did not start: note why, then retry, or answer 504 at the deadline, 502 after three. */
  private void launchFailed(Call call, Launch.Failed failed) {
    String function = call.function();
    String ref = call.ref() != null ? call.ref() : FailureRefs.newRef();
    notes.record(new FailureNote(ref, function, failed.cutShort() ? "deadline" : "create", failed.instanceId(),
        failed.workerId(), failed.code(), failed.detail(), System.currentTimeMillis()));
    boolean closed = call.request().response().closed();
    boolean late = failed.cutShort() || call.remainingMillis() <= 0;
    if (!closed && !late && call.attempt() < MAX_EMERGENCY_ATTEMPTS) {
      admit(call.retry(ref)); // another worker, a Regular slot, or a wait in the queue
      return;
    }
    call.ticket().ended();
    if (closed) {
      metrics.invocation(function, Forwarder.CLIENT_CLOSED, call.arrival());
    } else if (late) {
      metrics.invocation(function, 504, call.arrival());
      answerNotReady(call, ref);
    } else {
      metrics.invocation(function, 502, call.arrival());
      rejectWithRef(call.request(), 502, "function '" + function + "' failed to start", ref);
    }
  }

  private void answerNotReady(Call call, @Nullable String ref) {
    String message = notReadyInTime(call.function());
    if (ref == null) {
      reject(call.request(), 504, message);
    } else {
      rejectWithRef(call.request(), 504, message, ref);
    }
  }

  private String notReadyInTime(String function) {
    return "no instance of function '" + function + "' became ready within " + config.queueTimeoutMs() + " ms"
        + noCapacity(function);
  }

  /** The general word for "placement finds no room" (the status says where and how much), when it applies now. */
  private String noCapacity(String function) {
    Route route = routing.current().route(function);
    return route != null && route.noCapacity() ? ": no capacity (no worker has room for an instance)" : "";
  }

  /** A request takes the expedited track; the metric filter decides whether it counts toward scaling. */
  private int expeditedStarted(Call call) {
    String function = call.function();
    boolean counted = filter.counts(function, call.route().keepAliveSeconds());
    metrics.expedited(function, counted);
    return call.ticket().dispatchedExpedited(counted);
  }

  /** {@code fresh}: just created, so this is its first exchange (timed from here: a cold start's last stage). */
  private void forwardEmergency(Call call, EmergencyInstance instance, boolean fresh) {
    long began = tracks.now();
    long forwardedAt = System.nanoTime();
    forward(call, instance.instance(), false, exchanged -> {
      if (fresh) {
        metrics.emergencyFirstExchange(System.nanoTime() - forwardedAt);
      }
      tracks.times(call.function()).executed(tracks.now() - began);
      expedited.finished(instance, routing.current().route(call.function()));
      call.ticket().ended();
    });
  }

  /**
   * Proxies the exchange and records status, busy time and the failure behind a 502/504 of the gateway's own, then
   * tells {@code done} (a callback, not a future: one less listener chain per request) that the exchange is over.
   * {@code mayReroute}: if the instance cannot be reached, the exchange ends {@link Exchanged#refused() refused} and
   * unanswered, for the caller to send the request elsewhere (once per request).
   */
  private void forward(Call call, Instance instance, boolean mayReroute, Consumer<Exchanged> done) {
    String function = call.function();
    Route current = routing.current().route(function);
    // The route may be gone by now (removed while parked); its in-flight requests still get a bound.
    long timeoutMillis = 1000L * (current != null ? current.timeoutSeconds() : FALLBACK_TIMEOUT_SECONDS);
    ExchangeAccounting.Exchange exchange = accounting.exchange(function, instance, call.arrival());
    call.forwarder().forward(call.request(), new ForwardTarget(function, instance, call.target().uri(),
        timeoutMillis, call.rerouted() || !mayReroute), exchanged -> {
          exchange.ended(exchanged);
          done.accept(exchanged);
        });
  }

  private static int statusOf(Throwable failure) {
    if (failure instanceof ColdStartException e) {
      return switch (e.reason()) {
        case DEADLINE -> 504;
        case FUNCTION_REMOVED, CLOSING -> 503;
        case CLIENT_GONE -> Forwarder.CLIENT_CLOSED;
      };
    }
    return 500;
  }

  private static void reject(HttpServerRequest request, int status, String message) {
    UnreadBody.discardThen(request, () -> JsonErrors.send(request.response(), status, message));
  }

  private static void rejectWithRef(HttpServerRequest request, int status, String message, String ref) {
    UnreadBody.discardThen(request, () -> PublicErrors.send(request.response(), status, message, ref));
  }
}
