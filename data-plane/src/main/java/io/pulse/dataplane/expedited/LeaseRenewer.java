package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.WorkerRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of the Emergency Instances this data plane holds, one RenewLeases call per worker every third of
 * the lease, on a thread of its own (never the event loop). A worker deletes an instance whose lease runs out, so the
 * instances of a data plane that died (kill -9, a lost host) do not outlive it by more than the lease.
 */
public final class LeaseRenewer implements AutoCloseable {

  /** One renewal call: the instances held on one worker. */
  record Batch(WorkerRef worker, List<String> instanceIds) {}

  private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewer.class);

  private final SandboxCreator creator;
  private final Supplier<? extends Collection<EmergencyInstance>> held;
  private final long periodMillis;
  private final ScheduledExecutorService timer;

  /**
   * @param held the instances to renew now (a snapshot, read on the renewer's thread)
   * @param leaseMillis the lease the instances were created with; renewed every third of it
   */
  public LeaseRenewer(SandboxCreator creator, Supplier<? extends Collection<EmergencyInstance>> held,
      long leaseMillis) {
    this.creator = creator;
    this.held = held;
    this.periodMillis = Math.max(1, leaseMillis / 3);
    this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pulse-lease-renewer")
        .factory());
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::renewNow, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** One round: a call per worker that holds instances of ours. The calls are asynchronous; their answers logged. */
  void renewNow() {
    try {
      for (Batch batch : batches(held.get())) {
        creator.renew(batch.worker(), batch.instanceIds()).whenComplete((unknown, failure) -> {
          if (failure != null) {
            LOG.atWarn().setMessage("lease renewal failed").addKeyValue("worker", batch.worker().id())
                .addKeyValue("instances", batch.instanceIds().size()).addKeyValue("error", failure.getMessage()).log();
          } else if (!unknown.isEmpty()) {
            // Reaped: the worker did not hear from us for a whole lease. Those requests fail on their own.
            LOG.atWarn().setMessage("worker holds no lease of these emergency instances any more")
                .addKeyValue("worker", batch.worker().id()).addKeyValue("instances", unknown).log();
          }
        });
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and keep renewing.
      LOG.atError().setMessage("lease renewal round failed").setCause(e).log();
    }
  }

  /** The instances grouped by worker, ids sorted: one renewal call each. Pure. */
  static List<Batch> batches(Collection<EmergencyInstance> instances) {
    Map<String, List<String>> ids = new TreeMap<>();
    Map<String, WorkerRef> workers = new TreeMap<>();
    for (EmergencyInstance instance : instances) {
      WorkerRef worker = instance.reservation().worker();
      workers.putIfAbsent(worker.id(), worker);
      ids.computeIfAbsent(worker.id(), w -> new ArrayList<>()).add(instance.id());
    }
    List<Batch> batches = new ArrayList<>(ids.size());
    ids.forEach((worker, list) -> {
      list.sort(null);
      batches.add(new Batch(workers.get(worker), List.copyOf(list)));
    });
    return batches;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
