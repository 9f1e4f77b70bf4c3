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
import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.state.StateStore;
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
 * A replica as an embedded Hazelcast member. One thread ("pulse-cluster") evaluates the election whenever the member
 * list changes (and every 250 ms as a safety net): the oldest member of a majority leads. On taking over it starts a
 * new term: the epoch in the replicated meta map is raised by compare-and-set above every epoch known (map, local
 * store, wall clock) and written to the local store before the state says "leader". Listeners get each new
 * {@link ClusterState} on that thread.
 */
public final class HazelcastCluster implements ReplicaCluster {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastCluster.class);
  private static final String EPOCH_KEY = "epoch";
  private static final long EVALUATE_EVERY_MS = 250;

  private final ReplicationConfig config;
  private final ReplicaInfo self;
  private final StateStore store;
  private final LongSupplier clock;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> meta;
  private final HazelcastRegistryReplication replication;
  private final HazelcastWorkerDirectory workers;
  private final ScheduledExecutorService loop;
  private final List<Consumer<ClusterState>> listeners = new CopyOnWriteArrayList<>();
  private volatile ClusterState state;
  private volatile long knownEpoch;
  // Loop thread only:
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
    this.knownEpoch = store.epoch();
    this.loop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pulse-cluster").daemon()
        .factory());
  }

  /** Starts the Hazelcast member and the election loop. Blocking (joins the cluster): call it on a worker thread. */
  public static HazelcastCluster start(ReplicationConfig config, ReplicaInfo self, StateStore store,
      LongSupplier clock) {
    long started = System.nanoTime();
    HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(HazelcastSetup.config(config, self));
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
  public void onChange(Consumer<ClusterState> listener) {
    listeners.add(listener);
    loop.execute(() -> listener.accept(state));
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
        evaluateSoon();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        evaluateSoon();
      }
    });
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        evaluateSoon();
      }
    });
    meta.addEntryListener(new EpochListener(), true);
    learnEpoch(meta.get(EPOCH_KEY));
    loop.scheduleWithFixedDelay(this::evaluate, 0, EVALUATE_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private void evaluateSoon() {
    try {
      loop.execute(this::evaluate);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void learnEpoch(@Nullable String value) {
    if (value != null) {
      long epoch = Long.parseLong(value);
      synchronized (this) {
        knownEpoch = Math.max(knownEpoch, epoch);
      }
    }
  }

  /** Loop thread. */
  private void evaluate() {
    try {
      if (!hazelcast.getLifecycleService().isRunning()) {
        return;
      }
      List<ReplicaInfo> members = new ArrayList<>();
      for (Member member : hazelcast.getCluster().getMembers()) {
        members.add(info(member));
      }
      int configured = config.members().size();
      ReplicaInfo elected = LeaderElection.leader(members, configured);
      long now = clock.getAsLong();
      String electedId = elected == null ? null : elected.id();
      if (!java.util.Objects.equals(electedId, lastLeaderId)) {
        if (lastLeaderId != null && leaderLostAtMillis < 0) {
          leaderLostAtMillis = now;
        }
        leaderChanges++;
        lastLeaderId = electedId;
      }
      ClusterState current = state;
      ClusterState next;
      if (elected != null && elected.id().equals(self.id())) {
        if (current.isLeader()) {
          next = new ClusterState(self, members, configured, self, current.epoch(), lastFailoverMillis,
              leaderChanges);
        } else {
          long epoch = startTerm(now);
          if (leaderLostAtMillis >= 0) {
            lastFailoverMillis = clock.getAsLong() - leaderLostAtMillis;
          }
          leaderLostAtMillis = -1;
          next = new ClusterState(self, members, configured, self, epoch, lastFailoverMillis, leaderChanges);
          LOG.atInfo().setMessage("leading the control plane").addKeyValue("replica", self.id())
              .addKeyValue("epoch", epoch).addKeyValue("members", members.size())
              .addKeyValue("failoverMs", lastFailoverMillis).log();
        }
      } else {
        if (elected != null) {
          leaderLostAtMillis = -1;
          if (++followerReads % 8 == 0 || !elected.equals(current.leader())) {
            learnEpoch(meta.get(EPOCH_KEY)); // listener events do not survive every split and merge
          }
        }
        if (current.isLeader()) {
          LOG.atWarn().setMessage("no longer leading the control plane").addKeyValue("replica", self.id())
              .addKeyValue("leader", electedId).addKeyValue("members", members.size()).log();
        }
        next = new ClusterState(self, members, configured, elected, elected == null ? 0 : knownEpoch,
            lastFailoverMillis, leaderChanges);
      }
      if (!next.equals(current)) {
        state = next;
        listeners.forEach(listener -> listener.accept(next));
      }
    } catch (RuntimeException e) {
      // No majority for the epoch write, a member leaving mid-call...: the next evaluation tries again.
      LOG.atDebug().setMessage("cluster evaluation failed").addKeyValue("error", e.toString()).log();
    }
  }

  /** Raises the cluster's epoch by compare-and-set and persists it locally. Throws without a majority. */
  private long startTerm(long now) {
    while (true) {
      String current = meta.get(EPOCH_KEY);
      long known = Math.max(store.epoch(), knownEpoch);
      if (current != null) {
        known = Math.max(known, Long.parseLong(current));
      }
      long epoch = LeaderElection.nextEpoch(known, now);
      String value = Long.toString(epoch);
      boolean won = current == null ? meta.putIfAbsent(EPOCH_KEY, value) == null
          : meta.replace(EPOCH_KEY, current, value);
      if (won) {
        store.putEpoch(epoch);
        learnEpoch(value);
        return epoch;
      }
    }
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
