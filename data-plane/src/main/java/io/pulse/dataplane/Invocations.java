package io.pulse.dataplane;

import io.pulse.common.http.DeclaredLength;
import io.pulse.common.http.JsonErrors;
import io.pulse.dataplane.coldstart.ColdStartException;
import io.pulse.dataplane.coldstart.ColdStartException.Reason;
import io.pulse.dataplane.coldstart.WaitQueue;
import io.pulse.dataplane.coldstart.WaitQueues;
import io.pulse.dataplane.lb.Lease;
import io.pulse.dataplane.proxy.ForwardTarget;
import io.pulse.dataplane.proxy.Forwarder;
import io.pulse.dataplane.proxy.UnreadBody;
import io.pulse.dataplane.routing.RequestTarget;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.stats.LoadReporter;
import io.pulse.dataplane.stats.LoadTracker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The path of one request: resolve the function, take a slot or park for one, proxy, account. Shared by every
 * gateway verticle; all state it touches is thread-safe, and each request stays on its own event loop.
 */
final class Invocations {

  private static final int FALLBACK_TIMEOUT_SECONDS = 300;

  private final Vertx vertx;
  private final DataPlaneConfig config;
  private final RoutingState routing;
  private final WaitQueues<Lease> queues;
  private final LoadTracker load;
  private final LoadReporter reporter;
  private final GatewayMetrics metrics;

  Invocations(Vertx vertx, DataPlaneConfig config, RoutingState routing, WaitQueues<Lease> queues, LoadTracker load,
      LoadReporter reporter, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.routing = routing;
    this.queues = queues;
    this.load = load;
    this.reporter = reporter;
    this.metrics = metrics;
  }

  void handle(HttpServerRequest request, Forwarder forwarder) {
    request.pause(); // the body waits (unread, back-pressured) until an instance can take it
    long arrival = System.nanoTime();
    RequestTarget target = RequestTarget.resolve(request.getHeader(HttpHeaders.HOST), request.path(),
        request.query(), config.domain());
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
    load.arrived(function);
    WaitQueue<Lease> queue = queues.queue(function);
    switch (queue.admit(queues.slotsOf(function))) {
      case WaitQueue.Admission.Granted<Lease> granted -> {
        load.inFlightChanged(function, 1);
        proxy(request, forwarder, granted.slot(), target, arrival);
      }
      case WaitQueue.Admission.Full<Lease> full -> {
        metrics.invocation(function, 503, arrival);
        reject(request, 503, "queue full (" + full.waiting() + " waiting) for function '" + function + "'");
      }
      case WaitQueue.Admission.Parked<Lease> parked ->
          park(request, forwarder, queue, parked.waiter(), route, target, arrival);
    }
  }

  private void park(HttpServerRequest request, Forwarder forwarder, WaitQueue<Lease> queue,
      WaitQueue.Waiter<Lease> waiter, Route route, RequestTarget target, long arrival) {
    String function = route.function();
    load.queuedChanged(function, 1);
    boolean cold = route.instances().isEmpty();
    if (cold) {
      metrics.coldStart(function);
      reporter.scaleFromZero(function);
    }
    long timer = vertx.setTimer(config.queueTimeoutMs(), id -> queue.cancel(waiter,
        new ColdStartException(Reason.DEADLINE, "no instance of function '" + function + "' became ready within "
            + config.queueTimeoutMs() + " ms")));
    request.response().closeHandler(v -> queue.cancel(waiter,
        new ColdStartException(Reason.CLIENT_GONE, "client went away")));
    if (routing.current().route(function) == null) {
      // Removed between our read and our parking: the removal's wake-up may have missed us.
      queue.cancel(waiter, new ColdStartException(Reason.FUNCTION_REMOVED,
          "function '" + function + "' was removed while the request waited for an instance"));
    }
    waiter.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        Lease lease = ar.result();
        load.dequeuedToInFlight(function);
        if (cold) {
          metrics.coldStartServed(function, arrival);
        }
        proxy(request, forwarder, lease, target, arrival);
      } else {
        load.queuedChanged(function, -1);
        int status = statusOf(ar.cause());
        metrics.invocation(function, status, arrival);
        if (status != Forwarder.CLIENT_CLOSED) {
          reject(request, status, ar.cause().getMessage());
        }
      }
    });
  }

  private void proxy(HttpServerRequest request, Forwarder forwarder, Lease lease, RequestTarget target,
      long arrival) {
    String function = lease.function();
    Route current = routing.current().route(function);
    // The route may be gone by now (removed while parked); its in-flight requests still get a bound.
    long timeoutMillis = 1000L * (current != null ? current.timeoutSeconds() : FALLBACK_TIMEOUT_SECONDS);
    forwarder.forward(request, new ForwardTarget(function, lease.instance(), target.uri(), timeoutMillis))
        .onComplete(ar -> {
          lease.release();
          load.inFlightChanged(function, -1);
          metrics.invocation(function, ar.succeeded() ? ar.result() : 500, arrival);
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
