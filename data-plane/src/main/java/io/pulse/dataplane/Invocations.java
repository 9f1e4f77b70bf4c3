package io.pulse.dataplane;

import io.pulse.common.http.Authority;
import io.pulse.common.http.DeclaredLength;
import io.pulse.common.http.JsonErrors;
import io.pulse.dataplane.coldstart.ColdStartException;
import io.pulse.dataplane.coldstart.ColdStartException.Reason;
import io.pulse.dataplane.coldstart.WaitQueue;
import io.pulse.dataplane.coldstart.WaitQueues;
import io.pulse.dataplane.expedited.EmergencyInstance;
import io.pulse.dataplane.expedited.ExpeditedTrack;
import io.pulse.dataplane.proxy.ForwardTarget;
import io.pulse.dataplane.proxy.Forwarder;
import io.pulse.dataplane.proxy.UnreadBody;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.RequestTarget;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.stats.LoadReporter;
import io.pulse.dataplane.stats.LoadTracker;
import io.pulse.dataplane.stats.MetricFilter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * The path of one request: resolve the function, take a grant (a Regular slot, an idle Emergency Instance, or
 * headroom to create one) or park for one, proxy, account. Shared by every gateway verticle; all state it touches is
 * thread-safe, and each request stays on its own event loop.
 */
final class Invocations {

  private static final int FALLBACK_TIMEOUT_SECONDS = 300;
  /** Creations a request may try on the expedited track before it gives up with 502. */
  private static final int MAX_EMERGENCY_ATTEMPTS = 3;

  /** One request on its way: what every step needs. {@code queued}: it waited in the queue (load counted so). */
  private record Call(HttpServerRequest request, Forwarder forwarder, Route route, RequestTarget target,
      long arrival, int attempt) {
    String function() {
      return route.function();
    }

    Call retry() {
      return new Call(request, forwarder, route, target, arrival, attempt + 1);
    }
  }

  private final Vertx vertx;
  private final DataPlaneConfig config;
  private final RoutingState routing;
  private final WaitQueues<Grant> queues;
  private final LoadTracker load;
  private final LoadReporter reporter;
  private final GatewayMetrics metrics;
  private final ExpeditedTrack expedited;
  private final MetricFilter filter;

  Invocations(Vertx vertx, DataPlaneConfig config, RoutingState routing, WaitQueues<Grant> queues, LoadTracker load,
      LoadReporter reporter, GatewayMetrics metrics, ExpeditedTrack expedited, MetricFilter filter) {
    this.vertx = vertx;
    this.config = config;
    this.routing = routing;
    this.queues = queues;
    this.load = load;
    this.reporter = reporter;
    this.metrics = metrics;
    this.expedited = expedited;
    this.filter = filter;
  }

  void handle(HttpServerRequest request, Forwarder forwarder) {
    request.pause(); // the body waits (unread, back-pressured) until an instance can take it
    long arrival = System.nanoTime();
    // The authority is the Host header over HTTP/1.1 and the :authority pseudo-header over HTTP/2.
    RequestTarget target = RequestTarget.resolve(Authority.of(request), request.path(), request.query(),
        config.domain());
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
    String function = route.function();
    if (DeclaredLength.of(request) > config.maxRequestBodyBytes()) {
      metrics.invocation(function, 413, arrival);
      UnreadBody.discardThen(request, () -> JsonErrors.send(request.response(), 413,
          "request body larger than " + config.maxRequestBodyBytes() + " bytes", "Content-Length"));
      return;
    }
    filter.arrived(function);
    admit(new Call(request, forwarder, route, target, arrival, 1));
  }

  private void admit(Call call) {
    String function = call.function();
    WaitQueue<Grant> queue = queues.queue(function);
    switch (queue.admit(queues.slotsOf(function))) {
      case WaitQueue.Admission.Granted<Grant> granted -> go(call, granted.slot(), false);
      case WaitQueue.Admission.Full<Grant> full -> {
        if (call.attempt() == 1) {
          load.arrived(function);
        }
        metrics.invocation(function, 503, call.arrival());
        reject(call.request(), 503, "queue full (" + full.waiting() + " waiting) for function '" + function + "'");
      }
      case WaitQueue.Admission.Parked<Grant> parked -> park(call, queue, parked.waiter());
    }
  }

  private void park(Call call, WaitQueue<Grant> queue, WaitQueue.Waiter<Grant> waiter) {
    String function = call.function();
    if (call.attempt() == 1) {
      load.arrived(function);
    }
    load.queuedChanged(function, 1);
    boolean cold = call.route().instances().isEmpty();
    if (cold && call.attempt() == 1) {
      metrics.coldStart(function);
      reporter.scaleFromZero(function);
    }
    long timer = vertx.setTimer(config.queueTimeoutMs(), id -> queue.cancel(waiter,
        new ColdStartException(Reason.DEADLINE, "no instance of function '" + function + "' became ready within "
            + config.queueTimeoutMs() + " ms")));
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
        go(call, ar.result(), true);
      } else {
        load.queuedChanged(function, -1);
        int status = statusOf(ar.cause());
        metrics.invocation(function, status, call.arrival());
        if (status != Forwarder.CLIENT_CLOSED) {
          reject(call.request(), status, ar.cause().getMessage());
        }
      }
    });
  }

  /** A grant arrived (at once, or after waiting in the queue): account for it and send the request on. */
  private void go(Call call, Grant grant, boolean queued) {
    String function = call.function();
    switch (grant) {
      case Grant.Regular regular -> {
        if (queued) {
          load.dequeuedToInFlight(function);
        } else {
          if (call.attempt() == 1) {
            load.arrived(function);
          }
          load.inFlightChanged(function, 1);
        }
        forward(call, regular.lease().instance()).onComplete(ar -> {
          regular.lease().release();
          load.inFlightChanged(function, -1);
        });
      }
      case Grant.Warm warm -> {
        boolean counted = expeditedStarted(call, queued);
        forwardEmergency(call, warm.instance(), counted);
      }
      case Grant.Fresh fresh -> {
        boolean counted = expeditedStarted(call, queued);
        if (call.request().response().closed()) {
          expedited.cancel(fresh.reservation());
          expeditedEnded(function, counted);
          metrics.invocation(function, Forwarder.CLIENT_CLOSED, call.arrival());
          return;
        }
        expedited.launch(call.route(), fresh.reservation()).onComplete(ar -> {
          if (ar.succeeded()) {
            forwardEmergency(call, ar.result(), counted);
            return;
          }
          expeditedEnded(function, counted);
          if (call.request().response().closed()) {
            metrics.invocation(function, Forwarder.CLIENT_CLOSED, call.arrival());
          } else if (call.attempt() < MAX_EMERGENCY_ATTEMPTS) {
            admit(call.retry()); // another worker, a Regular slot, or a wait in the queue
          } else {
            metrics.invocation(function, 502, call.arrival());
            reject(call.request(), 502, "could not create an instance of function '" + function + "' after "
                + MAX_EMERGENCY_ATTEMPTS + " attempts: " + ar.cause().getMessage());
          }
        });
      }
    }
  }

  /** Load bookkeeping of a request taking the expedited track; true when the metric filter counts it. */
  private boolean expeditedStarted(Call call, boolean queued) {
    String function = call.function();
    boolean counted = filter.counts(function, call.route().keepAliveSeconds());
    load.expedited(function, counted);
    metrics.expedited(function, counted);
    if (queued) {
      if (counted) {
        load.dequeuedToInFlight(function);
      } else {
        load.queuedChanged(function, -1);
      }
    } else if (counted) {
      if (call.attempt() == 1) {
        load.arrived(function);
      }
      load.inFlightChanged(function, 1);
    }
    load.emergencyChanged(function, 1);
    return counted;
  }

  private void expeditedEnded(String function, boolean counted) {
    if (counted) {
      load.inFlightChanged(function, -1);
    }
    load.emergencyChanged(function, -1);
  }

  private void forwardEmergency(Call call, EmergencyInstance instance, boolean counted) {
    forward(call, instance.instance()).onComplete(ar -> {
      expedited.finished(instance, call.route().emergencyKeepAliveMs());
      expeditedEnded(call.function(), counted);
    });
  }

  /** Proxies the exchange and records status and busy time; the future completes when the exchange is over. */
  private Future<Integer> forward(Call call, Instance instance) {
    String function = call.function();
    Route current = routing.current().route(function);
    // The route may be gone by now (removed while parked); its in-flight requests still get a bound.
    long timeoutMillis = 1000L * (current != null ? current.timeoutSeconds() : FALLBACK_TIMEOUT_SECONDS);
    load.usage().began(instance.id(), function);
    return call.forwarder()
        .forward(call.request(), new ForwardTarget(function, instance, call.target().uri(), timeoutMillis))
        .onComplete(ar -> {
          load.usage().ended(instance.id());
          metrics.invocation(function, ar.succeeded() ? ar.result() : 500, call.arrival());
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
}
