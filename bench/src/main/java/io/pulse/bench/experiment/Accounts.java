package io.pulse.bench.experiment;

import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * Sums of the control plane's GET /v1/accounting over the functions of one run. {@code heldMiBSeconds} includes the
 * pools' members ({@code poolHeldMiBSeconds}): held, never busy. {@code byKind} and {@code perFunction} split held and
 * busy memory by track (and per function), which is what a cost ratio is made of.
 */
record Accounts(double heldMiBSeconds, double busyMiBSeconds, long regularCreated, long emergencyCreated,
    double regularMeanCreationMs, double emergencyMeanCreationMs, double poolHeldMiBSeconds, JsonObject byKind,
    JsonObject perFunction) {

  private static final String[] KINDS = {"regular", "emergency", "pool"};

  static Accounts of(JsonObject accounting, Collection<String> functions) {
    JsonObject all = accounting.getJsonObject("functions", new JsonObject());
    double held = 0;
    double busy = 0;
    double regularCreationSum = 0;
    double emergencyCreationSum = 0;
    JsonObject byKind = new JsonObject();
    JsonObject perFunction = new JsonObject();
    for (String name : functions) {
      JsonObject f = all.getJsonObject(name);
      if (f == null) {
        continue;
      }
      held += f.getDouble("memoryHeldMiBSeconds", 0.0);
      busy += f.getDouble("memoryBusyMiBSeconds", 0.0);
      JsonObject kinds = f.getJsonObject("byKind", new JsonObject());
      JsonObject mine = new JsonObject();
      for (String kind : KINDS) {
        JsonObject usage = kinds.getJsonObject(kind, new JsonObject());
        JsonObject split = split(usage);
        mine.put(kind, split);
        byKind.put(kind, add(byKind.getJsonObject(kind, split(new JsonObject())), split));
      }
      perFunction.put(name, mine);
      regularCreationSum += creationSum(kinds.getJsonObject("regular", new JsonObject()));
      emergencyCreationSum += creationSum(kinds.getJsonObject("emergency", new JsonObject()));
    }
    long regular = created(byKind, "regular");
    long emergency = created(byKind, "emergency");
    double pool = byKind.getJsonObject("pool", split(new JsonObject())).getDouble("heldMiBSeconds");
    return new Accounts(held, busy, regular, emergency, regular > 0 ? regularCreationSum / regular : Double.NaN,
        emergency > 0 ? emergencyCreationSum / emergency : Double.NaN, pool, byKind, perFunction);
  }

  /**
   * What {@code after} accounts for since {@code before} (two GET /v1/accounting of one leader term), in the shape
   * {@link #of} reads: held and busy memory and creations per function and kind, and the mean creation time of the
   * creations in between. Held memory is integrated up to the moment of each GET, busy memory up to each data plane's
   * last report (one report interval at most), so the split between the two is that close.
   */
  static JsonObject between(JsonObject before, JsonObject after) {
    JsonObject earlier = before.getJsonObject("functions", new JsonObject());
    JsonObject later = after.getJsonObject("functions", new JsonObject());
    JsonObject functions = new JsonObject();
    for (String name : later.fieldNames()) {
      JsonObject now = later.getJsonObject(name);
      JsonObject then = earlier.getJsonObject(name, new JsonObject());
      JsonObject kinds = new JsonObject();
      JsonObject kindsNow = now.getJsonObject("byKind", new JsonObject());
      JsonObject kindsThen = then.getJsonObject("byKind", new JsonObject());
      for (String kind : kindsNow.fieldNames()) {
        kinds.put(kind, usageBetween(kindsThen.getJsonObject(kind, new JsonObject()), kindsNow.getJsonObject(kind)));
      }
      functions.put(name, memoryBetween(then, now).put("byKind", kinds));
    }
    return new JsonObject().put("functions", functions);
  }

  private static JsonObject memoryBetween(JsonObject then, JsonObject now) {
    return new JsonObject()
        .put("memoryHeldMiBSeconds", minus(now, then, "memoryHeldMiBSeconds"))
        .put("memoryBusyMiBSeconds", minus(now, then, "memoryBusyMiBSeconds"));
  }

  private static JsonObject usageBetween(JsonObject then, JsonObject now) {
    long created = now.getLong("creations", 0L) - then.getLong("creations", 0L);
    JsonObject usage = memoryBetween(then, now).put("creations", created);
    if (created > 0) {
      usage.put("meanCreationMillis", (creationSum(now) - creationSum(then)) / created);
    }
    return usage;
  }

  private static double minus(JsonObject now, JsonObject then, String field) {
    return now.getDouble(field, 0.0) - then.getDouble(field, 0.0);
  }

  private static JsonObject split(JsonObject usage) {
    return new JsonObject().put("heldMiBSeconds", usage.getDouble("memoryHeldMiBSeconds", 0.0))
        .put("busyMiBSeconds", usage.getDouble("memoryBusyMiBSeconds", 0.0))
        .put("creations", usage.getLong("creations", 0L));
  }

  private static JsonObject add(JsonObject a, JsonObject b) {
    return new JsonObject().put("heldMiBSeconds", a.getDouble("heldMiBSeconds") + b.getDouble("heldMiBSeconds"))
        .put("busyMiBSeconds", a.getDouble("busyMiBSeconds") + b.getDouble("busyMiBSeconds"))
        .put("creations", a.getLong("creations") + b.getLong("creations"));
  }

  private static double creationSum(JsonObject usage) {
    Double mean = usage.getDouble("meanCreationMillis");
    return mean == null ? 0 : mean * usage.getLong("creations", 0L);
  }

  private static long created(JsonObject byKind, String kind) {
    JsonObject usage = byKind.getJsonObject(kind);
    return usage == null ? 0 : usage.getLong("creations");
  }
}
