package io.pulse.controlplane.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ScalingPolicySpecTest {

  private static JsonObject spec(JsonObject scaling) {
    return new JsonObject().put("name", "f").put("command", new io.vertx.core.json.JsonArray().add("x"))
        .put("scaling", scaling);
  }

  @Test
  void parse_policyAndEmergencyKeepAlive_roundTripThroughJson() {
    FunctionSpec parsed = FunctionSpecParser.parse(spec(new JsonObject().put("policy", "emergency-only")
        .put("emergencyKeepAliveMs", 500)));

    assertThat(parsed.scaling().policy()).isEqualTo(ScalingPolicy.EMERGENCY_ONLY);
    assertThat(parsed.scaling().emergencyKeepAliveMs()).isEqualTo(500);
    assertThat(FunctionSpecParser.parse(FunctionJson.toJson(parsed))).isEqualTo(parsed);
  }

  @Test
  void parse_absentPolicy_isTheClusterDefaultAndStaysAbsent() {
    FunctionSpec parsed = FunctionSpecParser.parse(spec(new JsonObject()));

    assertThat(parsed.scaling().policy()).isNull();
    assertThat(parsed.scaling().policyOr(ScalingPolicy.KPA)).isEqualTo(ScalingPolicy.KPA);
    assertThat(FunctionJson.toJson(parsed).getJsonObject("scaling").containsKey("policy")).isFalse();
  }

  @Test
  void parse_badPolicyOrKeepAlive_namesTheField() {
    assertThatThrownBy(() -> FunctionSpecParser.parse(spec(new JsonObject().put("policy", "fast"))))
        .isInstanceOfSatisfying(InvalidFunctionSpecException.class,
            e -> assertThat(e.field()).isEqualTo("scaling.policy"))
        .hasMessageContaining("dual-track, kpa, emergency-only");
    assertThatThrownBy(() -> FunctionSpecParser.parse(spec(new JsonObject().put("emergencyKeepAliveMs", -1))))
        .isInstanceOfSatisfying(InvalidFunctionSpecException.class,
            e -> assertThat(e.field()).isEqualTo("scaling.emergencyKeepAliveMs"));
  }
}
