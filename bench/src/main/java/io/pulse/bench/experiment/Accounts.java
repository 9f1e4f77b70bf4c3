package io.pulse.bench.experiment;

import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * Sums of the control plane's GET /v1/accounting over the functions of one run. {@code heldMiBSeconds} includes the
 * pools' members ({@code poolHeldMiBSeconds}): held, never busy.
 */
record Accounts(double heldMiBSeconds, double busyMiBSeconds, long regularCreated, long emergencyCreated,
    double regularMeanCreationMs, double emergencyMeanCreationMs, double poolHeldMiBSeconds) {

  static Accounts of(JsonObject accounting, Collection<String> functions) {
    JsonObject all = accounting.getJsonObject("functions", new JsonObject());
    double held = 0;
    double pool = 0;
    double busy = 0;
    long regular = 0;
    long emergency = 0;
    double regularCreationSum = 0;
    double emergencyCreationSum = 0;
    for (String name : functions) {
      JsonObject f = all.getJsonObject(name);
      if (f == null) {
        continue;
      }
      held += f.getDouble("memoryHeldMiBSeconds", 0.0);
      busy += f.getDouble("memoryBusyMiBSeconds", 0.0);
      JsonObject byKind = f.getJsonObject("byKind", new JsonObject());
      JsonObject r = byKind.getJsonObject("regular", new JsonObject());
      JsonObject e = byKind.getJsonObject("emergency", new JsonObject());
      pool += byKind.getJsonObject("pool", new JsonObject()).getDouble("memoryHeldMiBSeconds", 0.0);
      long rc = r.getLong("creations", 0L);
      long ec = e.getLong("creations", 0L);
      regular += rc;
      emergency += ec;
      Double rm = r.getDouble("meanCreationMillis");
      Double em = e.getDouble("meanCreationMillis");
      regularCreationSum += rm == null ? 0 : rm * rc;
      emergencyCreationSum += em == null ? 0 : em * ec;
    }
    return new Accounts(held, busy, regular, emergency, regular > 0 ? regularCreationSum / regular : Double.NaN,
        emergency > 0 ? emergencyCreationSum / emergency : Double.NaN, pool);
  }
}
