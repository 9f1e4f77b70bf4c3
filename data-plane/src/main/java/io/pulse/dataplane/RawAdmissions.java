package io.pulse.dataplane;

import io.pulse.dataplane.async.AsyncTarget;
import io.pulse.dataplane.coldstart.WaitQueues;
import io.pulse.dataplane.proxy.RawAdmission;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.RequestTarget;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.stats.RequestTicket;
import org.jspecify.annotations.Nullable;

/**
 * The byte-level forwarder's admission: the request must be one the Vert.x path ({@link Invocations}) would send
 * straight to a Regular slot (a routed function, synchronous, within the body limit) and such a slot must be free now
 * with nobody waiting ({@link io.pulse.dataplane.coldstart.WaitQueue#tryNow}); anything else is null, and the Vert.x
 * path serves the request from the start. A granted request is accounted by the piece that accounts the Vert.x
 * path's Regular exchanges ({@link ExchangeAccounting}); a refused one (its instance unreachable) counts as the
 * request's reroute and ends its ticket: the Vert.x path takes the request on as rerouted, without a second arrival.
 */
final class RawAdmissions implements RawAdmission {

  private final DataPlaneConfig config;
  private final RoutingState routing;
  private final WaitQueues<Grant> queues;
  private final GrantSource grants;
  private final ExchangeAccounting accounting;
  private final GatewayMetrics metrics;

  RawAdmissions(DataPlaneConfig config, RoutingState routing, WaitQueues<Grant> queues, GrantSource grants,
      ExchangeAccounting accounting, GatewayMetrics metrics) {
    this.config = config;
    this.routing = routing;
    this.queues = queues;
    this.grants = grants;
    this.accounting = accounting;
    this.metrics = metrics;
  }

  @Override
  public @Nullable Granted admit(String method, String host, String target, long contentLength) {
    long arrival = System.nanoTime();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    if (AsyncTarget.wanted(host, path, config.domain(), null) || contentLength > config.maxRequestBodyBytes()) {
      return null;
    }
    RequestTarget resolved = RequestTarget.resolve(host, path, q < 0 ? null : target.substring(q + 1),
        config.domain());
    RoutingTable table = routing.current();
    Route route = resolved == null || !table.loaded() ? null : table.route(resolved.function());
    if (route == null) {
      return null;
    }
    String function = route.function();
    if (!(queues.queue(function).tryNow(grants.regularOf(function)) instanceof Grant.Regular regular)) {
      return null;
    }
    RequestTicket ticket = accounting.arrived(function);
    metrics.rawExchange();
    ExchangeAccounting.RegularSlot slot = accounting.regular(function, ticket, regular);
    Instance instance = slot.instance();
    ExchangeAccounting.Exchange exchange = accounting.exchange(function, instance, arrival);
    return new Granted(function, instance, resolved.uri(), 1000L * route.timeoutSeconds(), exchanged -> {
      exchange.ended(exchanged);
      if (slot.ended(exchanged)) {
        ticket.ended(); // the Vert.x path takes the request with a ticket of its own
      }
    });
  }
}
