package io.pulse.controlplane.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.controlplane.grpc.Protos;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PrewarmSpecTest {

  private static JsonObject spec(JsonObject scaling) {
    return new JsonObject().put("name", "f").put("image", "example.org/f:v1").put("port", 8080).put("scaling", scaling);
  }

  @Test
  void parse_prewarm_roundTripsThroughJsonAndReachesTheWorkersSpec() {
    FunctionSpec parsed = FunctionSpecParser.parse(spec(new JsonObject().put("prewarm", 3)));

    assertThat(parsed.scaling().prewarm()).isEqualTo(3);
    assertThat(FunctionSpecParser.parse(FunctionJson.toJson(parsed))).isEqualTo(parsed);
    assertThat(Protos.sandboxSpec(new FunctionRecord(parsed, 2, java.time.Instant.EPOCH, java.time.Instant.EPOCH), 1_000).getPrewarm())
        .isEqualTo(3);
  }

  @Test
  void parse_prewarmAuto_roundTripsAndTheWorkersSpecCarriesNoCount() {
    FunctionSpec parsed = FunctionSpecParser.parse(spec(new JsonObject().put("prewarm", "auto")));

    assertThat(parsed.scaling().prewarmAuto()).isTrue();
    assertThat(parsed.scaling().prewarm()).isZero();
    assertThat(FunctionJson.toJson(parsed).getJsonObject("scaling").getValue("prewarm")).isEqualTo("auto");
    assertThat(FunctionSpecParser.parse(FunctionJson.toJson(parsed))).isEqualTo(parsed);
    assertThat(Protos.sandboxSpec(new FunctionRecord(parsed, 2, java.time.Instant.EPOCH, java.time.Instant.EPOCH),
        1_000).getPrewarm()).as("0 says nothing: the leader sets each worker's target").isZero();
  }

  @Test
  void parse_prewarmAnyOtherString_namesTheFieldAndSaysWhatIsAccepted() {
    assertThatThrownBy(() -> FunctionSpecParser.parse(spec(new JsonObject().put("prewarm", "AUTO"))))
        .isInstanceOfSatisfying(InvalidFunctionSpecException.class, e -> {
          assertThat(e.field()).isEqualTo("scaling.prewarm");
          assertThat(e.getMessage()).contains("0..64").contains("\"auto\"");
        });
  }

  @Test
  void parse_absentPrewarm_isNone() {
    assertThat(FunctionSpecParser.parse(spec(new JsonObject())).scaling().prewarm()).isZero();
  }

  @Test
  void parse_prewarmOutOfRangeOrNotANumber_namesTheField() {
    for (Object bad : new Object[] {-1, 65, "two", new JsonArray()}) {
      assertThatThrownBy(() -> FunctionSpecParser.parse(spec(new JsonObject().put("prewarm", bad))))
          .as("prewarm %s", bad)
          .isInstanceOfSatisfying(InvalidFunctionSpecException.class,
              e -> assertThat(e.field()).isEqualTo("scaling.prewarm"));
    }
  }
}
