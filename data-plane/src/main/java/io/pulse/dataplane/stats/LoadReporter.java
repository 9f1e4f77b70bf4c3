package io.pulse.dataplane.stats;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc.ControlPlaneServiceStub;
import io.pulse.api.v1.FunctionLoad;
import io.pulse.api.v1.LoadReport;
import io.pulse.api.v1.LoadReportAck;
import io.vertx.core.Vertx;
import io.pulse.dataplane.failures.FailureNote;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code ReportLoad} to the control plane every interval, and at once when a function with no ready instance
 * gets a queued request (at most once per function per 100 ms). An urgent report simply closes the interval early
 * and reports every active function, so nothing is counted twice and the message keeps the periodic report's
 * meaning ("absent = 0 here"). Sending is asynchronous; a failed report is dropped and another goes out after
 * {@link #RETRY_MILLIS} rather than a whole interval later: after a leader failover the channel finds the new leader,
 * and a request waiting for a cold start must not wait a full interval more for the new leader to hear of it.
 */
public final class LoadReporter {

  private static final Logger LOG = LoggerFactory.getLogger(LoadReporter.class);
  static final long URGENT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long DEADLINE_MILLIS = 5000;
  static final long RETRY_MILLIS = 50;

  private final Vertx vertx;
  private final ControlPlaneServiceStub stub;
  private final String dataPlaneId;
  private final LoadTracker tracker;
  private final Supplier<List<FailureNote>> failures;
  private final ToLongFunction<String> executionMicros;
  private final long intervalMillis;
  private final LongSupplier nanoClock;
  private final UrgentGate gate = new UrgentGate(URGENT_GAP_NANOS);
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private volatile long timerId = -1;
  private volatile boolean closed;

  /**
   * @param failures the failure notes recorded since the previous call (sent along, best effort)
   * @param executionMicros a function's mean execution time of late, 0 when unknown (sent with its load)
   */
  public LoadReporter(Vertx vertx, ControlPlaneServiceStub stub, String dataPlaneId, LoadTracker tracker,
      Supplier<List<FailureNote>> failures, ToLongFunction<String> executionMicros, long intervalMillis) {
    this.vertx = vertx;
    this.stub = stub;
    this.dataPlaneId = dataPlaneId;
    this.tracker = tracker;
    this.failures = failures;
    this.executionMicros = executionMicros;
    this.intervalMillis = intervalMillis;
    this.nanoClock = System::nanoTime;
  }

  public void start() {
    timerId = vertx.setPeriodic(intervalMillis, id -> report("periodic"));
  }

  /** A request for {@code function} queued with no ready instance: tell the control plane now. */
  public void scaleFromZero(String function) {
    if (!closed && gate.tryPass(function, nanoClock.getAsLong())) {
      report("scale-from-zero");
    }
  }

  public void close() {
    closed = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void report(String trigger) {
    if (closed) {
      return;
    }
    List<FunctionLoadSample> samples = tracker.closeInterval();
    LoadReport.Builder report = LoadReport.newBuilder().setDataPlaneId(dataPlaneId)
        .setTimestampMs(System.currentTimeMillis());
    for (FunctionLoadSample s : samples) {
      report.addFunctions(FunctionLoad.newBuilder().setFunction(s.function())
          .setAverageConcurrency(s.averageConcurrency()).setInFlight(s.inFlight()).setQueued(s.queued())
          .setArrivals(s.arrivals()).setExpedited(s.expedited()).setExpeditedCounted(s.expeditedCounted())
          .setEmergencyInFlight(s.emergencyInFlight()).setExecutionMicros(executionMicros.applyAsLong(s.function())));
    }
    for (UsageTracker.Sample u : tracker.usage().closeInterval()) {
      report.addUsage(UsageReports.usage(u));
    }
    for (FailureNote f : failures.get()) {
      report.addFailures(io.pulse.api.v1.FailureNote.newBuilder().setRef(f.ref()).setFunction(f.function())
          .setStage(f.stage()).setInstanceId(f.instanceId()).setWorkerId(f.workerId()).setCode(f.code())
          .setDetail(f.detail()).setAtMs(f.atMillis()));
    }
    LOG.atDebug().setMessage("sending load report").addKeyValue("trigger", trigger)
        .addKeyValue("functions", samples.size()).log();
    stub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS).reportLoad(report.build(),
        new StreamObserver<LoadReportAck>() {
          @Override
          public void onNext(LoadReportAck ack) {}

          @Override
          public void onError(Throwable t) {
            if (closed) {
              return; // a report in flight when the data plane closed: the control plane may be stopping too
            }
            if (failing.compareAndSet(false, true)) {
              LOG.atWarn().setMessage("load reports failing").addKeyValue("status", Status.fromThrowable(t).getCode())
                  .log();
            }
            if (retryScheduled.compareAndSet(false, true)) {
              vertx.setTimer(RETRY_MILLIS, id -> {
                retryScheduled.set(false);
                report("retry");
              });
            }
          }

          @Override
          public void onCompleted() {
            if (failing.compareAndSet(true, false)) {
              LOG.atInfo().setMessage("load reports flowing again").log();
            }
          }
        });
  }
}
