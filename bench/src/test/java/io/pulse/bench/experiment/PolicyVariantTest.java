package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.bench.driver.DualTrackOverrides;
import io.pulse.bench.schedule.FunctionPlan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyVariantTest {

  @Test
  void parse_readsThePolicyAndItsPrewarm() {
    assertThat(PolicyVariant.parse("kpa")).isEqualTo(new PolicyVariant("kpa", "kpa", 0));
    assertThat(PolicyVariant.parse("dual-track+prewarm2")).isEqualTo(new PolicyVariant("dual-track+prewarm2",
        "dual-track", 2));
    assertThat(PolicyVariant.parse("kpa").base()).isNull();
    assertThat(PolicyVariant.parse("kpa+prewarm1").base()).isEqualTo("kpa");
    assertThat(PolicyVariant.parse("dual-track+ika1").base()).isEqualTo("dual-track");
    assertThat(PolicyVariant.parse("dual-track+prewarm1+eka0+nopanic").base()).isEqualTo("dual-track");
    assertThatThrownBy(() -> PolicyVariant.parse("kpa+prewarm0")).hasMessageContaining("prewarm must be 1..64");
    assertThatThrownBy(() -> PolicyVariant.parse("kpa+prewarmx")).hasMessageContaining("prewarm must be 1..64");
  }

  @Test
  void parse_readsTheEmergencyKeepAlive_aloneOrAfterThePrewarm() {
    assertThat(PolicyVariant.parse("dual-track+eka500"))
        .isEqualTo(new PolicyVariant("dual-track+eka500", "dual-track", 0, 500));
    assertThat(PolicyVariant.parse("dual-track+prewarm1+eka0"))
        .isEqualTo(new PolicyVariant("dual-track+prewarm1+eka0", "dual-track", 1, 0));
    assertThat(PolicyVariant.parse("kpa").emergencyKeepAliveMs()).isEqualTo(PolicyVariant.DEFAULT);
    assertThatThrownBy(() -> PolicyVariant.parse("dual-track+eka-1")).hasMessageContaining("0..600000");
    assertThatThrownBy(() -> PolicyVariant.parse("dual-track+ekax")).hasMessageContaining("0..600000");
  }

  @Test
  void spec_setsTheEmergencyKeepAlive_onlyWhenTheVariantNamesIt() {
    FunctionPlan plan = new FunctionPlan("f1", "hash", 64, 100.0, 1);
    assertThat(TraceExperiment.spec(plan, PolicyVariant.parse("dual-track+eka0"), 6, null).getJsonObject("scaling")
        .getInteger("emergencyKeepAliveMs")).isZero();
    assertThat(TraceExperiment.spec(plan, PolicyVariant.parse("dual-track"), 6, null).getJsonObject("scaling")
        .containsKey("emergencyKeepAliveMs")).isFalse();
  }

  @Test
  void withPools_addsEachPolicyWithPools_afterThePoliciesWithout() {
    assertThat(PolicyVariant.withPools(List.of("dual-track", "kpa"), "1"))
        .containsExactly("dual-track", "kpa", "dual-track+prewarm1", "kpa+prewarm1");
    assertThat(PolicyVariant.withPools(List.of("kpa"), "0")).containsExactly("kpa");
    assertThatThrownBy(() -> PolicyVariant.withPools(List.of("kpa"), "-1")).hasMessageContaining("--prewarm");
  }

  @Test
  void auto_runsEachPolicyWithAutomaticPools_withinABudgetThatDoesNotDecide() {
    assertThat(PolicyVariant.withPools(List.of("dual-track", "kpa"), "auto"))
        .containsExactly("dual-track", "kpa", "dual-track+prewarmauto", "kpa+prewarmauto");
    PolicyVariant auto = PolicyVariant.parse("kpa+prewarmauto");
    assertThat(auto).isEqualTo(new PolicyVariant("kpa+prewarmauto", "kpa", 0, true));
    assertThat(auto.base()).isEqualTo("kpa");
    assertThat(auto.budgetPerFunction()).isEqualTo(PolicyVariant.AUTO_MEMBERS_PER_FUNCTION);
    FunctionPlan plan = new FunctionPlan("f1", "hash", 64, 100.0, 1);
    assertThat(TraceExperiment.spec(plan, auto, 6, null).getJsonObject("scaling").getString("prewarm"))
        .isEqualTo("auto");
    assertThatThrownBy(() -> PolicyVariant.withPools(List.of("kpa"), "automatic")).hasMessageContaining("--prewarm");
  }

  @Test
  void spec_ofAVariantWithPools_setsThePrewarm() {
    FunctionPlan plan = new FunctionPlan("f1", "hash", 64, 100.0, 1);
    JsonObject pooled = TraceExperiment.spec(plan, PolicyVariant.parse("kpa+prewarm2"), 6, null).getJsonObject("scaling");
    assertThat(pooled.getString("policy")).isEqualTo("kpa");
    assertThat(pooled.getInteger("prewarm")).isEqualTo(2);
    assertThat(TraceExperiment.spec(plan, PolicyVariant.parse("kpa"), 6, null).getJsonObject("scaling")
        .containsKey("prewarm")).isFalse();
  }

  @Test
  void onARealRuntime_theFunctionIsTheImage_andARequestSleepsInItsCgi() {
    FunctionPlan plan = new FunctionPlan("f1", "hash", 64, 100.0, 1);
    JsonObject spec = TraceExperiment.spec(plan, PolicyVariant.parse("kpa"), 6, "127.0.0.1:5000/pulse/httpd:v1");
    assertThat(spec.getString("image")).isEqualTo("127.0.0.1:5000/pulse/httpd:v1");
    assertThat(spec.getInteger("port")).isEqualTo(TraceExperiment.IMAGE_PORT);
    assertThat(spec.containsKey("command")).isFalse();
    assertThat(spec.getJsonObject("resources").getInteger("memoryMiB")).isEqualTo(64);
    io.pulse.bench.schedule.Invocation call = new io.pulse.bench.schedule.Invocation("f1", 0, 250);
    assertThat(TraceExperiment.path(call, true)).isEqualTo("/fn/f1/cgi-bin/sleep?ms=250");
    assertThat(TraceExperiment.path(call, false)).isEqualTo("/fn/f1/?sleep=250");
  }

  @Test
  void variantEffect_comparesEachVariantToItsPlainPolicyOfTheSameRun() {
    JsonObject policies = new JsonObject()
        .put("dual-track", figures(4.0, 2.0)).put("kpa", figures(5.0, 2.0))
        .put("dual-track+prewarm1", figures(3.0, 2.2)).put("emergency-only+prewarm1", figures(1.0, 1.0))
        .put("dual-track+ika1", figures(5.0, 1.6));

    JsonObject effect = TraceExperiment.variantEffect(policies);

    // emergency-only did not run plain
    assertThat(effect.fieldNames()).containsExactlyInAnyOrder("dual-track+prewarm1", "dual-track+ika1");
    JsonObject ika = effect.getJsonObject("dual-track+ika1");
    assertThat(ika.getString("vs")).isEqualTo("dual-track");
    assertThat(ika.getDouble("slowdownReductionPercent")).isEqualTo(-25.0);
    assertThat(ika.getDouble("costRatio")).isEqualTo(0.8);
    JsonObject dual = effect.getJsonObject("dual-track+prewarm1");
    assertThat(dual.getString("vs")).isEqualTo("dual-track");
    assertThat(dual.getDouble("slowdownReductionPercent")).isEqualTo(25.0);
    assertThat(dual.getDouble("costRatio")).isEqualTo(1.1);

    JsonObject overWindows = TraceWindowsExperiment.variantEffectOverWindows(new JsonArray()
        .add(new JsonObject().put("variantEffect", effect)).add(new JsonObject().put("variantEffect", effect)));
    assertThat(overWindows.getJsonObject("dual-track+prewarm1").getJsonObject("slowdownReductionPercent")
        .getDouble("median")).isEqualTo(25.0);
    assertThat(overWindows.getJsonObject("dual-track+prewarm1").getJsonObject("costRatio").getInteger("windows"))
        .isEqualTo(2);
  }

  @Test
  void functionEffect_givesEachFunctionsSlowdownUnderBoth_andTheMemoryTheVariantHeldMore() {
    JsonObject plain = new JsonObject()
        .put("p99SlowdownPerFunction", new JsonObject().put("f1", 8.0).put("f2", 1.5))
        .put("memoryPerFunction", new JsonObject()
            .put("f1", kinds(100.0, 20.0)).put("f2", kinds(500.0, 0.0)));
    JsonObject variant = new JsonObject()
        .put("p99SlowdownPerFunction", new JsonObject().put("f1", 1.2).put("f2", 1.5).put("f3", 2.0))
        .put("memoryPerFunction", new JsonObject().put("f1", kinds(400.0, 10.0)).put("f3", kinds(50.0, 0.0)));

    JsonObject functions = TraceExperiment.functionEffect(variant, plain);

    assertThat(functions.fieldNames()).as("f3 had no calls under the plain policy").containsExactlyInAnyOrder("f1",
        "f2");
    assertThat(functions.getJsonObject("f1")).isEqualTo(new JsonObject().put("p99Slowdown", 1.2)
        .put("plainP99Slowdown", 8.0).put("heldMiBSecondsMore", 290.0));
    assertThat(functions.getJsonObject("f2").getDouble("heldMiBSecondsMore")).as("no instance under the variant")
        .isEqualTo(-500.0);
  }

  private static JsonObject kinds(double regular, double emergency) {
    return new JsonObject().put("regular", new JsonObject().put("heldMiBSeconds", regular))
        .put("emergency", new JsonObject().put("heldMiBSeconds", emergency));
  }

  @Test
  void accounts_countThePoolsHeldMemory_asHeldAndApart() {
    JsonObject f = new JsonObject().put("memoryHeldMiBSeconds", 300.0).put("memoryBusyMiBSeconds", 100.0)
        .put("byKind", new JsonObject().put("pool", new JsonObject().put("memoryHeldMiBSeconds", 50.0)));
    Accounts accounts = Accounts.of(new JsonObject().put("functions", new JsonObject().put("f1", f)), List.of("f1"));
    assertThat(accounts.heldMiBSeconds()).isEqualTo(300.0);
    assertThat(accounts.poolHeldMiBSeconds()).isEqualTo(50.0);
  }

  @Test
  void panicSuffix_setsTheDualTrackPanic_afterTheOtherSuffixes() {
    assertThat(PolicyVariant.parse("dual-track+nopanic")).isEqualTo(
        new PolicyVariant("dual-track+nopanic", "dual-track", 0, false, PolicyVariant.DEFAULT, DualTrackOverrides.NONE.withPanic(false)));
    assertThat(PolicyVariant.parse("dual-track+eka0+panic")).isEqualTo(
        new PolicyVariant("dual-track+eka0+panic", "dual-track", 0, false, 0, DualTrackOverrides.NONE.withPanic(true)));
    assertThat(PolicyVariant.parse("dual-track").dualTrack().panic()).isNull();
  }

  @Test
  void idleKeepAliveSuffix_setsTheFactor_beforeThePanicSuffix() {
    assertThat(PolicyVariant.parse("dual-track+ika1")).isEqualTo(
        new PolicyVariant("dual-track+ika1", "dual-track", 0, false, PolicyVariant.DEFAULT, DualTrackOverrides.NONE.withIdleKeepAlive(1)));
    assertThat(PolicyVariant.parse("dual-track+prewarm2+eka0+ika8+nopanic")).isEqualTo(
        new PolicyVariant("dual-track+prewarm2+eka0+ika8+nopanic", "dual-track", 2, false, 0,
            DualTrackOverrides.NONE.withPanic(false).withIdleKeepAlive(8)));
    assertThat(PolicyVariant.parse("dual-track").dualTrack().idleKeepAlive()).isNull();
    assertThatThrownBy(() -> PolicyVariant.parse("dual-track+ika0"))
        .hasMessageContaining("idle keep-alive factor must be 1..100");
  }

  @Test
  void coldShareSuffix_setsTheHoldsLeastShare_inPercent_betweenIdleKeepAliveAndPanic() {
    assertThat(PolicyVariant.parse("dual-track+hcs30")).isEqualTo(new PolicyVariant("dual-track+hcs30",
        "dual-track", 0, false, PolicyVariant.DEFAULT, DualTrackOverrides.NONE.withHoldMinColdShare(0.3)));
    assertThat(PolicyVariant.parse("dual-track+ika8+hcs150+nopanic")).isEqualTo(new PolicyVariant(
        "dual-track+ika8+hcs150+nopanic", "dual-track", 0, false, PolicyVariant.DEFAULT,
        new DualTrackOverrides(false, 8, 1.5, null, null)));
    assertThat(PolicyVariant.parse("dual-track+hcs30").base()).isEqualTo("dual-track");
    assertThat(PolicyVariant.parse("dual-track").dualTrack().holdMinColdShare()).isNull();
    assertThatThrownBy(() -> PolicyVariant.parse("dual-track+hcs-1"))
        .hasMessageContaining("least cold-start share must be 0..10000 %");
  }

  @Test
  void slackSuffix_setsTheFleetSlack_inPercentOfAnInstance_last() {
    assertThat(PolicyVariant.parse("dual-track+slack0")).isEqualTo(new PolicyVariant("dual-track+slack0",
        "dual-track", 0, false, PolicyVariant.DEFAULT, DualTrackOverrides.NONE.withFleetSlack(0.0)));
    assertThat(PolicyVariant.parse("dual-track+ika1+nopanic+slack80")).isEqualTo(new PolicyVariant(
        "dual-track+ika1+nopanic+slack80", "dual-track", 0, false, PolicyVariant.DEFAULT,
        new DualTrackOverrides(false, 1, null, 0.8, null)));
    assertThat(PolicyVariant.parse("dual-track+slack80").base()).isEqualTo("dual-track");
    assertThat(PolicyVariant.parse("dual-track").dualTrack().fleetSlack()).isNull();
    assertThatThrownBy(() -> PolicyVariant.parse("dual-track+slack100"))
        .hasMessageContaining("fleet slack must be 0..99 % of an instance");
  }

  @Test
  void holdBudgetSuffix_setsTheIdleHoldsMemoryBudget_last() {
    assertThat(PolicyVariant.parse("dual-track+hb128")).isEqualTo(new PolicyVariant("dual-track+hb128",
        "dual-track", 0, false, PolicyVariant.DEFAULT, DualTrackOverrides.NONE.withHoldBudgetMiB(128)));
    assertThat(PolicyVariant.parse("dual-track+nopanic+slack80+hb0")).isEqualTo(new PolicyVariant(
        "dual-track+nopanic+slack80+hb0", "dual-track", 0, false, PolicyVariant.DEFAULT,
        new DualTrackOverrides(false, null, null, 0.8, 0)));
    assertThat(PolicyVariant.parse("dual-track+hb128").base()).isEqualTo("dual-track");
    assertThat(PolicyVariant.parse("dual-track+slack80").dualTrack().holdBudgetMiB()).isNull();
    assertThatThrownBy(() -> PolicyVariant.parse("dual-track+hb-1"))
        .hasMessageContaining("memory budget must be 0..1048576 MiB");
  }

  @Test
  void accounts_splitHeldAndBusyByTrack_perFunctionAndSummed() {
    JsonObject f1 = new JsonObject().put("memoryHeldMiBSeconds", 300.0).put("memoryBusyMiBSeconds", 100.0)
        .put("byKind", new JsonObject()
            .put("regular", new JsonObject().put("memoryHeldMiBSeconds", 200.0).put("memoryBusyMiBSeconds", 80.0)
                .put("creations", 2))
            .put("emergency", new JsonObject().put("memoryHeldMiBSeconds", 100.0).put("memoryBusyMiBSeconds", 20.0)
                .put("creations", 5)));
    JsonObject f2 = new JsonObject().put("memoryHeldMiBSeconds", 40.0).put("memoryBusyMiBSeconds", 10.0)
        .put("byKind", new JsonObject().put("emergency", new JsonObject().put("memoryHeldMiBSeconds", 40.0)
            .put("memoryBusyMiBSeconds", 10.0).put("creations", 1)));
    Accounts accounts = Accounts.of(new JsonObject().put("functions", new JsonObject().put("f1", f1).put("f2", f2)),
        List.of("f1", "f2"));
    assertThat(accounts.byKind().getJsonObject("emergency").getDouble("heldMiBSeconds")).isEqualTo(140.0);
    assertThat(accounts.byKind().getJsonObject("emergency").getDouble("busyMiBSeconds")).isEqualTo(30.0);
    assertThat(accounts.byKind().getJsonObject("regular").getDouble("heldMiBSeconds")).isEqualTo(200.0);
    assertThat(accounts.emergencyCreated()).isEqualTo(6);
    assertThat(accounts.regularCreated()).isEqualTo(2);
    assertThat(accounts.perFunction().getJsonObject("f2").getJsonObject("regular").getDouble("heldMiBSeconds"))
        .isEqualTo(0.0);
    assertThat(accounts.perFunction().getJsonObject("f1").getJsonObject("emergency").getLong("creations"))
        .isEqualTo(5);
  }

  @Test
  void accountsBetween_countOnlyWhatHappenedAfterTheWindowBegan() {
    JsonObject before = accounting(new JsonObject().put("memoryHeldMiBSeconds", 100.0)
        .put("memoryBusyMiBSeconds", 40.0).put("byKind", new JsonObject().put("regular", new JsonObject()
            .put("memoryHeldMiBSeconds", 100.0).put("memoryBusyMiBSeconds", 40.0).put("creations", 2)
            .put("meanCreationMillis", 100.0))));
    JsonObject after = accounting(new JsonObject().put("memoryHeldMiBSeconds", 400.0)
        .put("memoryBusyMiBSeconds", 100.0).put("byKind", new JsonObject()
            .put("regular", new JsonObject().put("memoryHeldMiBSeconds", 300.0).put("memoryBusyMiBSeconds", 90.0)
                .put("creations", 4).put("meanCreationMillis", 130.0))
            .put("emergency", new JsonObject().put("memoryHeldMiBSeconds", 100.0)
                .put("memoryBusyMiBSeconds", 10.0).put("creations", 3).put("meanCreationMillis", 50.0))));

    Accounts window = Accounts.of(Accounts.between(before, after), List.of("f1"));

    assertThat(window.heldMiBSeconds()).isEqualTo(300.0);
    assertThat(window.busyMiBSeconds()).isEqualTo(60.0);
    assertThat(window.regularCreated()).isEqualTo(2);
    assertThat(window.emergencyCreated()).isEqualTo(3);
    // (4 × 130 − 2 × 100) / 2: the mean of the two creations in the window.
    assertThat(window.regularMeanCreationMs()).isEqualTo(160.0);
    assertThat(window.emergencyMeanCreationMs()).isEqualTo(50.0);
    assertThat(window.byKind().getJsonObject("regular").getDouble("heldMiBSeconds")).isEqualTo(200.0);
    // Nothing before the window: the accounting as it is.
    assertThat(Accounts.of(Accounts.between(new JsonObject(), after), List.of("f1"))).isEqualTo(
        Accounts.of(after, List.of("f1")));
  }

  private static JsonObject accounting(JsonObject f1) {
    return new JsonObject().put("functions", new JsonObject().put("f1", f1));
  }

  private static JsonObject figures(double slowdown, double cost) {
    return new JsonObject().put("geomeanP99Slowdown", slowdown).put("normalizedCost", cost);
  }
}
