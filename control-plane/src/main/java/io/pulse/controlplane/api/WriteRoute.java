package io.pulse.controlplane.api;

import io.pulse.controlplane.cluster.ClusterState;
import io.vertx.core.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/**
 * Where a REST request is answered: here, or, a write on a follower, by the leader on the caller's behalf. Pure: a
 * function of the method, whether another replica forwarded the request already, and the cluster as this replica sees
 * it. A forwarded request is never forwarded again, so two replicas that disagree about the leader cannot bounce a
 * request between them.
 */
public sealed interface WriteRoute {

  /** The header a forwarding replica adds: its id. */
  String FORWARDED_BY = "Pulse-Forwarded-By";

  /** Handled on this replica (a read, the leader's own write, a single replica). */
  record Local() implements WriteRoute {}

  /** Sent to the leader at {@code restAddress} ({@code host:port}). */
  record Forward(String leaderId, String restAddress) implements WriteRoute {}

  /** Answered 503 at once: no leader, or a forwarded request reached a replica that does not lead. */
  record Refuse(String message) implements WriteRoute {}

  WriteRoute LOCAL = new Local();

  /**
   * @param forwards whether this control plane forwards writes at all (several replicas)
   */
  static WriteRoute of(HttpMethod method, @Nullable String forwardedBy, ClusterState cluster, boolean forwards) {
    if (!forwards || !writes(method) || cluster.isLeader()) {
      return LOCAL;
    }
    if (forwardedBy != null) {
      return new Refuse("replica " + forwardedBy + " forwarded this write to replica " + cluster.self().id()
          + ", which does not lead (a leader change is under way); retry in a second");
    }
    if (cluster.leader() == null) {
      return new Refuse(cluster.refusal());
    }
    return new Forward(cluster.leader().id(), cluster.leader().restAddress());
  }

  private static boolean writes(HttpMethod method) {
    return !(method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS));
  }
}
