package io.pulse.controlplane.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * Any spec the parser accepts serializes and parses back to itself. Each field is usually valid, sometimes absent or
 * null, and sometimes invalid, so the inputs also show the parser refuses only with
 * {@link InvalidFunctionSpecException}; the coverage check keeps the property from passing on rejections alone.
 */
class FunctionJsonRoundTripTest {

  private static final String[] KEYS =
      {"name", "image", "command", "port", "env", "resources", "scaling", "timeoutSeconds"};

  /** Marks a field left out of the generated object. */
  private static final Object ABSENT = new Object();

  @Property(tries = 1000)
  void parse_acceptedSpec_roundTripsThroughJson(@ForAll("specJson") JsonObject input) {
    FunctionSpec spec;
    try {
      spec = FunctionSpecParser.parse(input);
      Statistics.label("outcome").collect("accepted");
    } catch (InvalidFunctionSpecException rejected) {
      Statistics.label("outcome").collect("rejected");
      return;
    } finally {
      Statistics.label("outcome").coverage(c -> c.check("accepted").percentage(p -> p > 20));
      Statistics.label("outcome").coverage(c -> c.check("rejected").percentage(p -> p > 5));
    }

    JsonObject json = FunctionJson.toJson(spec);
    // Through text too, as the REST API sends it.
    FunctionSpec reparsed = FunctionSpecParser.parse(new JsonObject(json.encode()));

    assertThat(reparsed).isEqualTo(spec);
    assertThat(FunctionJson.toJson(reparsed)).isEqualTo(json);
  }

  @Property(tries = 200)
  void toJson_record_parsesBackToItsSpec(@ForAll("specJson") JsonObject input) {
    FunctionSpec spec;
    try {
      spec = FunctionSpecParser.parse(input);
    } catch (InvalidFunctionSpecException rejected) {
      return;
    }
    FunctionRecord record = new FunctionRecord(spec, 3, Instant.ofEpochSecond(1), Instant.ofEpochSecond(2));

    JsonObject json = FunctionJson.toJson(record);

    assertThat(json.getLong("revision")).isEqualTo(3);
    assertThat(json.getString("createdAt")).isEqualTo("1970-01-01T00:00:01Z");
    assertThat(json.getString("updatedAt")).isEqualTo("1970-01-01T00:00:02Z");
    assertThat(FunctionSpecParser.parse(json)).isEqualTo(spec);
  }

  @Provide
  Arbitrary<JsonObject> specJson() {
    List<Arbitrary<Object>> fields = List.of(
        field(Arbitraries.strings().withChars("abcxyz0189").ofMinLength(1).ofMaxLength(20)
                .map(s -> s + (s.length() > 4 ? "-" + s : "")),
            Arbitraries.of("Bad", "", "-x", "x-", "a".repeat(64)), 0.0),
        field(Arbitraries.of("nginx", "busybox:1.36", "ghcr.io/o/app:v1", "localhost:5000/a/b"),
            Arbitraries.of("Bad", "a//b", "x:"), 0.6),
        field(Arbitraries.strings().ofMinLength(1).ofMaxLength(12).list().ofMinSize(1).ofMaxSize(4)
                .map(list -> new JsonArray(new ArrayList<>(list))),
            Arbitraries.of(new JsonArray(), new JsonArray().add("")), 0.1),
        field(Arbitraries.integers().between(1, 65_535), Arbitraries.of(-1, 65_536), 0.4),
        field(Arbitraries.maps(Arbitraries.strings().withChars("AZaz_").ofMinLength(1).ofMaxLength(8)
                        .map(s -> s + "_9"),
                    Arbitraries.strings().ofMaxLength(10))
                .ofMaxSize(4)
                .map(map -> new JsonObject(new LinkedHashMap<String, Object>(map))),
            Arbitraries.of(new JsonObject().put("PORT", "1"), new JsonObject().put("PULSE_X", "1")), 0.3),
        field(Combinators.combine(
                    Arbitraries.integers().between(1, 256_000).injectNull(0.3),
                    Arbitraries.integers().between(1, 1_048_576).injectNull(0.3))
                .as((cpu, memory) -> object("cpuMillis", cpu, "memoryMiB", memory)),
            Arbitraries.of(new JsonObject().put("cpuMillis", 0), new JsonObject().put("gpus", 1)), 0.3),
        field(Combinators.combine(
                    Arbitraries.integers().between(0, 10).injectNull(0.3),
                    Arbitraries.integers().between(0, 10).injectNull(0.3),
                    Arbitraries.integers().between(1, 1_000).injectNull(0.3),
                    Arbitraries.integers().between(1, 86_400).injectNull(0.3))
                .as(Tuple::of)
                .map(t -> {
                  // Keep maxScale consistent most of the time: 0 (unbounded) or min + extra.
                  Integer max = t.get2();
                  if (t.get1() != null && max != null && max != 0) {
                    max = t.get1() + max;
                  }
                  return object("minScale", t.get1(), "maxScale", max)
                      .mergeIn(object("targetConcurrency", t.get3(), "keepAliveSeconds", t.get4()));
                }),
            Arbitraries.of(new JsonObject().put("minScale", 5).put("maxScale", 2),
                new JsonObject().put("targetConcurrency", 0)), 0.3),
        field(Arbitraries.integers().between(1, 3_600), Arbitraries.of(0, 3_601), 0.3));

    return Combinators.combine(fields).as(values -> {
      JsonObject json = new JsonObject();
      for (int i = 0; i < KEYS.length; i++) {
        Object value = values.get(i);
        if (value == JsonNull.NULL) {
          json.putNull(KEYS[i]);
        } else if (value != ABSENT) {
          json.put(KEYS[i], value);
        }
      }
      return json;
    });
  }

  /** Mostly valid; absent or null for {@code absentShare} of the valid share; invalid about one time in sixteen. */
  private static Arbitrary<Object> field(Arbitrary<?> valid, Arbitrary<?> invalid, double absentShare) {
    int absent = (int) Math.round(absentShare * 90);
    Arbitrary<Object> good = valid.map(Object.class::cast);
    Arbitrary<Object> bad = invalid.map(Object.class::cast);
    if (absent == 0) {
      return Arbitraries.frequencyOf(Tuple.of(90, good), Tuple.of(6, bad));
    }
    return Arbitraries.frequencyOf(Tuple.of(90 - absent, good), Tuple.of(6, bad),
        Tuple.of(absent, Arbitraries.of(ABSENT, JsonNull.NULL)));
  }

  /** Marks an explicit JSON null (jqwik arbitraries cannot produce a bare null in a list). */
  private enum JsonNull {
    NULL
  }

  private static JsonObject object(String key1, Integer value1, String key2, Integer value2) {
    JsonObject json = new JsonObject();
    if (value1 != null) {
      json.put(key1, value1);
    }
    if (value2 != null) {
      json.put(key2, value2);
    }
    return json;
  }
}
