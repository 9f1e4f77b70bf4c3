package io.pulse.bench.experiment;

import static io.pulse.bench.experiment.TraceExperiment.round;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;

/** The warm experiment's figures from its measured rounds (pure). */
final class WarmFigures {

  static final String DIRECT = "direct";
  static final String HAPROXY = "haproxy";
  static final String PULSE = "pulse";

  /**
   * One round of one leg; {@code cpuMicros} of the leg's proxy process over the round and {@code loopCpuMicros} of
   * its event-loop threads alone, each negative if not measured; {@code timeWaitNew}: sockets to or from the
   * instance's port that entered TIME_WAIT during the round, and {@code timeWaitAfter} all of those at its end
   * (negative: not measured); {@code userCpuMicros}: the part of {@code cpuMicros} spent in user space (the rest is
   * the kernel's), negative if not measured.
   */
  record Round(long ok, long failed, double seconds, long cpuMicros, long loopCpuMicros, int timeWaitNew,
      int timeWaitAfter, long userCpuMicros) {

    Round(long ok, long failed, double seconds, long cpuMicros, long loopCpuMicros, int timeWaitNew,
        int timeWaitAfter) {
      this(ok, failed, seconds, cpuMicros, loopCpuMicros, timeWaitNew, timeWaitAfter, -1);
    }

    Round(long ok, long failed, double seconds, long cpuMicros, long loopCpuMicros) {
      this(ok, failed, seconds, cpuMicros, loopCpuMicros, -1, -1);
    }

    Round(long ok, long failed, double seconds, long cpuMicros) {
      this(ok, failed, seconds, cpuMicros, -1);
    }
  }

  /** A leg (direct, through HAProxy, through Pulse): its rounds and the latencies of all of them (ns). */
  record Leg(String name, List<Round> rounds, Histogram latencies) {}

  private WarmFigures() {}

  /** Each leg's figures under its name; latencies added over the direct leg's when there is one. */
  static JsonObject legs(List<Leg> legs) {
    Histogram direct = legs.stream().filter(l -> l.name().equals(DIRECT)).map(Leg::latencies).findFirst()
        .orElse(null);
    JsonObject out = new JsonObject();
    for (Leg leg : legs) {
      out.put(leg.name(), leg(leg, direct));
    }
    return out;
  }

  private static JsonObject leg(Leg leg, Histogram direct) {
    long ok = leg.rounds().stream().mapToLong(Round::ok).sum();
    long failed = leg.rounds().stream().mapToLong(Round::failed).sum();
    double seconds = leg.rounds().stream().mapToDouble(Round::seconds).sum();
    JsonArray rpsPerRound = new JsonArray();
    leg.rounds().forEach(r -> rpsPerRound.add(round(r.ok() / r.seconds())));
    JsonObject out = new JsonObject().put("requests", ok).put("failed", failed)
        .put("rps", round(seconds > 0 ? ok / seconds : 0)).put("rpsPerRound", rpsPerRound)
        .put("p50Us", round(us(leg.latencies(), 50))).put("p99Us", round(us(leg.latencies(), 99)));
    if (direct != null && !leg.name().equals(DIRECT)) {
      out.put("addedP50Us", round(us(leg.latencies(), 50) - us(direct, 50)))
          .put("addedP99Us", round(us(leg.latencies(), 99) - us(direct, 99)));
    }
    if (leg.rounds().stream().allMatch(r -> r.cpuMicros() >= 0) && ok + failed > 0) {
      long cpu = leg.rounds().stream().mapToLong(Round::cpuMicros).sum();
      JsonArray cpuPerRound = new JsonArray();
      leg.rounds().forEach(r -> cpuPerRound.add(round((double) r.cpuMicros() / Math.max(1, r.ok() + r.failed()))));
      out.put("cpuUsPerRequest", round((double) cpu / (ok + failed))).put("cpuUsPerRequestPerRound", cpuPerRound);
      if (leg.rounds().stream().allMatch(r -> r.userCpuMicros() >= 0)) {
        long user = leg.rounds().stream().mapToLong(Round::userCpuMicros).sum();
        out.put("userCpuUsPerRequest", round((double) user / (ok + failed)))
            .put("systemCpuUsPerRequest", round((double) (cpu - user) / (ok + failed)));
      }
    }
    if (leg.rounds().stream().allMatch(r -> r.timeWaitNew() >= 0) && ok + failed > 0) {
      long timeWait = leg.rounds().stream().mapToLong(Round::timeWaitNew).sum();
      out.put("timeWaitNew", timeWait).put("timeWaitPerRequest", round((double) timeWait / (ok + failed)))
          .put("timeWaitMax", leg.rounds().stream().mapToInt(Round::timeWaitAfter).max().orElse(0));
    }
    if (leg.rounds().stream().allMatch(r -> r.loopCpuMicros() >= 0) && ok + failed > 0) {
      long loops = leg.rounds().stream().mapToLong(Round::loopCpuMicros).sum();
      out.put("eventLoopCpuUsPerRequest", round((double) loops / (ok + failed)));
    }
    return out;
  }

  /**
   * Pulse against HAProxy in the same run: throughput and CPU per request as ratios (Pulse / HAProxy), the latter also
   * split into user and system CPU, added p50 of each; and whether each goal holds (CPU ≤, throughput ≥, added
   * p50 ≤). Null without both legs.
   */
  static JsonObject vsHaproxy(JsonObject legs) {
    JsonObject haproxy = legs.getJsonObject(HAPROXY);
    JsonObject pulse = legs.getJsonObject(PULSE);
    if (haproxy == null || pulse == null) {
      return null;
    }
    JsonObject out = new JsonObject()
        .put("rpsRatio", round(pulse.getDouble("rps") / haproxy.getDouble("rps")))
        .put("rpsAtLeastHaproxy", pulse.getDouble("rps") >= haproxy.getDouble("rps"));
    if (pulse.containsKey("addedP50Us") && haproxy.containsKey("addedP50Us")) {
      out.put("addedP50Us", new JsonObject().put(PULSE, pulse.getDouble("addedP50Us"))
          .put(HAPROXY, haproxy.getDouble("addedP50Us")))
          .put("addedP50AtMostHaproxy", pulse.getDouble("addedP50Us") <= haproxy.getDouble("addedP50Us"));
    }
    if (pulse.containsKey("cpuUsPerRequest") && haproxy.containsKey("cpuUsPerRequest")) {
      out.put("cpuRatio", round(pulse.getDouble("cpuUsPerRequest") / haproxy.getDouble("cpuUsPerRequest")))
          .put("cpuAtMostHaproxy", pulse.getDouble("cpuUsPerRequest") <= haproxy.getDouble("cpuUsPerRequest"));
    }
    for (String part : List.of("userCpuUsPerRequest", "systemCpuUsPerRequest")) {
      if (pulse.containsKey(part) && haproxy.containsKey(part) && haproxy.getDouble(part) > 0) {
        out.put(part.replace("CpuUsPerRequest", "CpuRatio"), round(pulse.getDouble(part) / haproxy.getDouble(part)));
      }
    }
    return out;
  }

  private static double us(Histogram latencies, double percentile) {
    return latencies.getValueAtPercentile(percentile) / 1e3;
  }
}
