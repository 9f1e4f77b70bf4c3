package io.pulse.controlplane.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.state.StoredIdleGapStore;
import io.pulse.controlplane.term.ClusterView;
import io.pulse.controlplane.term.Term;
import io.pulse.controlplane.term.TermAction;
import io.pulse.controlplane.term.TermMachine;
import io.pulse.controlplane.term.TermRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica as an embedded Hazelcast member: the adapter of the term machine ({@link TermRunner}). One thread
 * ("pulse-cluster") steps the machine whenever the member list changes (and every 250 ms as a safety net) and carries
 * out what it decides: a claim is a compare-and-set of the epoch in the replicated meta map (a majority side only,
 * through the map's split-brain protection), persisted in the local store when won; the other actions go to the
 * listeners on that thread, after the published {@link ClusterState} shows the new term.
 */
public final class HazelcastCluster implements ReplicaCluster {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastCluster.class);
  private static final String EPOCH_KEY = "epoch";
  private static final long EVALUATE_EVERY_MS = 250;
  /** Time for a member-list change to reach every member before this replica claims an epoch. */
  private static final long MEMBERSHIP_SETTLE_MS = 100;

  private final ReplicationConfig config;
  private final ReplicaInfo self;
  private final StateStore store;
  private final LongSupplier clock;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> meta;
  private final HazelcastRegistryReplication replication;
  private final HazelcastWorkerDirectory workers;
  private final HazelcastIdleGapStore idleGaps;
  private final ScheduledExecutorService loop;
  private final List<Consumer<List<TermAction>>> listeners = new CopyOnWriteArrayList<>();
  private final MembershipSettle settle = new MembershipSettle(MEMBERSHIP_SETTLE_MS);
  private volatile ClusterState state;
  private volatile long knownEpoch;
  // Loop thread only:
  private Term term = Term.initial();
  private @Nullable String lastLeaderId;
  private long leaderLostAtMillis = -1;
  private long leaderChanges;
  private long followerReads;
  private @Nullable Long lastFailoverMillis;

  private HazelcastCluster(ReplicationConfig config, ReplicaInfo self, StateStore store, LongSupplier clock,
      HazelcastInstance hazelcast) {
    this.config = config;
    this.self = self;
    this.store = store;
    this.clock = clock;
    this.hazelcast = hazelcast;
    this.meta = hazelcast.getMap(HazelcastSetup.META_MAP);
    this.state = new ClusterState(self, List.of(self), config.members().size(), null, 0, null, 0);
    this.replication = new HazelcastRegistryReplication(hazelcast.getMap(HazelcastSetup.FUNCTIONS_MAP),
        hazelcast.getMap(HazelcastSetup.ACKS_MAP), this::state);
    this.workers = new HazelcastWorkerDirectory(hazelcast.getMap(HazelcastSetup.WORKERS_MAP));
    this.idleGaps = new HazelcastIdleGapStore(hazelcast.getMap(HazelcastSetup.IDLE_GAPS_MAP),
        new StoredIdleGapStore(store));
    this.knownEpoch = store.epoch();
    this.loop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pulse-cluster").daemon()
        .factory());
  }

  /** Starts the Hazelcast member and the election loop. Blocking (joins the cluster): call it on a worker thread. */
  public static HazelcastCluster start(ReplicationConfig config, ReplicaInfo self, StateStore store,
      LongSupplier clock) {
    long started = System.nanoTime();
    HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(HazelcastSetup.config(config, self, store.epoch()));
    HazelcastCluster cluster = new HazelcastCluster(config, self, store, clock, hazelcast);
    cluster.listen();
    LOG.atInfo().setMessage("joined the control-plane cluster").addKeyValue("replica", self.id())
        .addKeyValue("members", hazelcast.getCluster().getMembers().size())
        .addKeyValue("configured", config.members().size())
        .addKeyValue("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).log();
    return cluster;
  }

  @Override
  public ClusterState state() {
    return state;
  }

  @Override
  public void onTerm(Consumer<List<TermAction>> listener) {
    loop.execute(() -> {
      listeners.add(listener);
      List<TermAction> replay = term.replay();
      if (!replay.isEmpty()) {
        listener.accept(replay);
      }
    });
  }

  @Override
  public RegistryReplication replication() {
    return replication;
  }

  @Override
  public WorkerDirectory workers() {
    return workers;
  }

  @Override
  public IdleGapStore idleGaps() {
    return idleGaps;
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      hazelcast.shutdown();
    } catch (RuntimeException e) {
      LOG.atWarn().setMessage("hazelcast shutdown failed").addKeyValue("error", e.toString()).log();
    }
  }

  private void listen() {
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        membershipChanged();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        membershipChanged();
        replication.replicaLeft();
      }
    });
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        membershipChanged();
      }
    });
    meta.addEntryListener(new EpochListener(), true);
    learnEpoch(meta.get(EPOCH_KEY));
    loop.scheduleWithFixedDelay(this::evaluate, 0, EVALUATE_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /** Steps the machine at once (a leader that lost its majority ends its term now); a claim waits for the settle. */
  private void membershipChanged() {
    settle.changed(clock.getAsLong());
    evaluateSoon();
  }

  private void evaluateSoon() {
    try {
      loop.execute(this::evaluate);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** A claim asked for before the member list settled: the term stays a candidate and claims at the settle's end. */
  private static final class ClaimDeferred extends RuntimeException {

    ClaimDeferred(long waitMillis) {
      super("member list changed; claiming in " + waitMillis + " ms", null, false, false);
    }
  }

  /**
   * Followers persist what they learn, so that a replica that held the cluster's epoch record and restarts announces
   * it (its member attribute) even when every other holder of the record is gone.
   */
  private void learnEpoch(@Nullable String value) {
    if (value != null) {
      long epoch = Long.parseLong(value);
      boolean rose;
      synchronized (this) {
        rose = epoch > knownEpoch;
        knownEpoch = Math.max(knownEpoch, epoch);
      }
      if (rose) {
        store.putEpoch(epoch); // a few times per failover; on a Hazelcast or the cluster thread, never an event loop
      }
    }
  }

  private static long announcedEpoch(Member member) {
    String value = member.getAttribute(HazelcastSetup.EPOCH_ATTRIBUTE);
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Loop thread: one step of the term machine over the current member list; carries out its claims and actions. */
  private void evaluate() {
    try {
      if (!hazelcast.getLifecycleService().isRunning()) {
        return;
      }
      List<ReplicaInfo> members = new ArrayList<>();
      long announced = 0;
      for (Member member : hazelcast.getCluster().getMembers()) {
        members.add(info(member));
        announced = Math.max(announced, announcedEpoch(member));
      }
      int configured = config.members().size();
      List<String> ids = members.stream().map(ReplicaInfo::id).toList();
      String elected = TermMachine.elected(ClusterView.of(self.id(), ids, configured, 0));
      if (elected != null && !elected.equals(self.id())
          && (++followerReads % 8 == 0 || !elected.equals(term.elected()))) {
        learnEpoch(meta.get(EPOCH_KEY)); // listener events do not survive every split and merge
      }
      // A member that restarted since the last claim may be the only one left that knows it (its store): the epoch
      // it announced on joining counts as known, so no claim in this view goes below it, whatever the clocks say.
      ClusterView view = ClusterView.of(self.id(), ids, configured,
          Math.max(Math.max(store.epoch(), knownEpoch), announced));
      TermRunner.Settled settled = TermRunner.settle(view, term, clock, this::claim);
      if (settled.failure() != null) {
        // No majority for the epoch write, a member leaving mid-call...: the next evaluation claims again.
        LOG.atDebug().setMessage("epoch claim failed").addKeyValue("error", settled.failure().toString()).log();
      }
      Term next = settled.step().next();
      Term previous = term;
      term = next;
      noteLeader(previous, next, clock.getAsLong());
      ClusterState published = new ClusterState(self, members, configured, find(members, next.leader()),
          next.publishedEpoch(), lastFailoverMillis, leaderChanges);
      state = published;
      if (!settled.step().actions().isEmpty()) {
        List<TermAction> actions = settled.step().actions();
        listeners.forEach(listener -> listener.accept(actions));
      }
    } catch (RuntimeException e) {
      LOG.atDebug().setMessage("cluster evaluation failed").addKeyValue("error", e.toString()).log();
    }
  }

  /** Loop thread: leader-change count and this replica's last takeover time, for the metrics and logs. */
  private void noteLeader(Term previous, Term next, long now) {
    String electedId = next.elected();
    if (!java.util.Objects.equals(electedId, lastLeaderId)) {
      if (lastLeaderId != null && leaderLostAtMillis < 0) {
        leaderLostAtMillis = now;
      }
      leaderChanges++;
      lastLeaderId = electedId;
    }
    if (next.leading() && !previous.leading()) {
      if (leaderLostAtMillis >= 0) {
        lastFailoverMillis = now - leaderLostAtMillis;
      }
      leaderLostAtMillis = -1;
      LOG.atInfo().setMessage("leading the control plane").addKeyValue("replica", self.id())
          .addKeyValue("epoch", next.epoch()).addKeyValue("failoverMs", lastFailoverMillis).log();
    } else if (next.role() == Term.Role.FOLLOWER) {
      leaderLostAtMillis = -1;
    }
    if (previous.leading() && !next.leading()) {
      LOG.atWarn().setMessage("no longer leading the control plane").addKeyValue("replica", self.id())
          .addKeyValue("leader", next.leader()).addKeyValue("epoch", previous.epoch()).log();
    }
  }

  /** Loop thread: the machine's claim, as a compare-and-set on the meta map, then persisted locally if won. */
  private TermRunner.ClaimOutcome claim(long proposed) {
    long wait = settle.waitMillis(clock.getAsLong());
    if (wait > 0) {
      loop.schedule(this::evaluate, wait, TimeUnit.MILLISECONDS);
      throw new ClaimDeferred(wait);
    }
    String current = meta.get(EPOCH_KEY);
    long recorded = current == null ? 0 : Long.parseLong(current);
    if (recorded >= proposed) {
      learnEpoch(current);
      return TermRunner.ClaimOutcome.lost(recorded);
    }
    String value = Long.toString(proposed);
    boolean won = current == null ? meta.putIfAbsent(EPOCH_KEY, value) == null
        : meta.replace(EPOCH_KEY, current, value);
    if (!won) {
      String now = meta.get(EPOCH_KEY);
      learnEpoch(now);
      return TermRunner.ClaimOutcome.lost(now == null ? recorded : Long.parseLong(now));
    }
    store.putEpoch(proposed);
    learnEpoch(value);
    return TermRunner.ClaimOutcome.won(proposed);
  }

  private static @Nullable ReplicaInfo find(List<ReplicaInfo> members, @Nullable String id) {
    if (id == null) {
      return null;
    }
    for (ReplicaInfo member : members) {
      if (member.id().equals(id)) {
        return member;
      }
    }
    return null;
  }

  /** Followers learn each new term's epoch from the meta map. */
  private final class EpochListener implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String> {

    @Override
    public void entryAdded(com.hazelcast.core.EntryEvent<String, String> event) {
      learnEpoch(event.getValue());
    }

    @Override
    public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> event) {
      learnEpoch(event.getValue());
    }
  }

  private static ReplicaInfo info(Member member) {
    String id = member.getAttribute(HazelcastSetup.REPLICA_ATTRIBUTE);
    return new ReplicaInfo(id == null ? member.getAddress().toString() : id,
        String.valueOf(member.getAttribute(HazelcastSetup.GRPC_ATTRIBUTE)),
        String.valueOf(member.getAttribute(HazelcastSetup.REST_ATTRIBUTE)));
  }
}
