package io.pulse.controlplane.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.pulse.controlplane.registry.AsyncSettings;
import io.pulse.controlplane.registry.ExecLimits;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.pulse.controlplane.registry.SecretRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FunctionSpecParserTest {

  /** Marks a field to remove from the minimal spec. */
  private static final Object ABSENT = new Object();

  private static JsonObject minimal() {
    return new JsonObject().put("name", "hello").put("command", new JsonArray().add("run").add("${PORT}"));
  }

  /** The minimal spec with one (possibly nested, dot-separated) field set to a value, or removed. */
  private static JsonObject with(String path, Object value) {
    return with(minimal(), path, value);
  }

  private static JsonObject with(JsonObject json, String path, Object value) {
    String[] keys = path.split("\\.");
    JsonObject target = json;
    for (int i = 0; i < keys.length - 1; i++) {
      if (!(target.getValue(keys[i]) instanceof JsonObject)) {
        target.put(keys[i], new JsonObject());
      }
      target = target.getJsonObject(keys[i]);
    }
    String last = keys[keys.length - 1];
    if (value == ABSENT) {
      target.remove(last);
    } else {
      target.put(last, value);
    }
    return json;
  }

  private static JsonArray array(Object... values) {
    return new JsonArray(new ArrayList<>(Arrays.asList(values)));
  }

  @Test
  void parse_minimalSpec_appliesEveryDefault() {
    FunctionSpec spec = FunctionSpecParser.parse(minimal());

    assertThat(spec).isEqualTo(new FunctionSpec("hello", null, List.of("run", "${PORT}"), 0, Map.of(),
        new FunctionSpec.Resources(250, 256), new FunctionSpec.Scaling(0, 0, 1, 60), 300));
  }

  @Test
  void parse_fullSpec_keepsEveryValue() {
    JsonObject json = new JsonObject()
        .put("name", "resize-image-2")
        .put("image", "registry.example.com:5000/team/resize@sha256:" + "a".repeat(64))
        .put("command", array("/bin/resize", "--port", "${PORT}"))
        .put("port", 8080)
        .put("env", new JsonObject().put("MODE", "fast").put("_x1", ""))
        .put("resources", new JsonObject().put("cpuMillis", 1500).put("memoryMiB", 2048))
        .put("scaling", new JsonObject().put("minScale", 2).put("maxScale", 9).put("targetConcurrency", 10)
            .put("keepAliveSeconds", 120))
        .put("timeoutSeconds", 30);

    FunctionSpec spec = FunctionSpecParser.parse(json);

    assertThat(spec).isEqualTo(new FunctionSpec("resize-image-2",
        "registry.example.com:5000/team/resize@sha256:" + "a".repeat(64), List.of("/bin/resize", "--port", "${PORT}"),
        8080, Map.of("MODE", "fast", "_x1", ""), new FunctionSpec.Resources(1500, 2048),
        new FunctionSpec.Scaling(2, 9, 10, 120), 30));
  }

  @Test
  void parse_nullOptionalFields_countAsAbsent() {
    JsonObject json = minimal().putNull("image").putNull("port").putNull("env").putNull("resources")
        .putNull("scaling").putNull("timeoutSeconds");

    assertThat(FunctionSpecParser.parse(json)).isEqualTo(FunctionSpecParser.parse(minimal()));
  }

  @Test
  void parse_readOnlyRecordFields_areIgnored() {
    JsonObject json = minimal().put("revision", 7).put("createdAt", "2025-01-01T00:00:00Z").put("updatedAt", "x")
        .put("status", new JsonObject().put("images", new JsonArray()).putNull("lastExit"));

    assertThat(FunctionSpecParser.parse(json)).isEqualTo(FunctionSpecParser.parse(minimal()));
  }

  @Test
  void parse_readOnlyFieldsOfAnyType_areIgnoredAsWell() {
    // Output fields are never read, so their shape is not checked either (docs/api.md says so).
    JsonObject json = minimal().put("revision", "seven").put("createdAt", 3).put("updatedAt", new JsonArray())
        .put("status", "bogus");

    assertThat(FunctionSpecParser.parse(json)).isEqualTo(FunctionSpecParser.parse(minimal()));
  }

  // ---- what execve(2) takes

  /** {@code count} arguments of {@code length} ASCII bytes each. */
  private static JsonArray argv(int count, int length) {
    JsonArray argv = new JsonArray();
    for (int i = 0; i < count; i++) {
      argv.add(String.valueOf((char) ('a' + i % 26)).repeat(length));
    }
    return argv;
  }

  /** What {@code count} strings of {@code length} bytes leave of the 1 MiB once the worker's 4 KiB is counted. */
  private static int lengthFilling(int count) {
    int perString = (ExecLimits.MAX_TOTAL_BYTES - ExecLimits.WORKER_ENV_BYTES) / count;
    assertThat(perString * count).as("an exact split").isEqualTo(ExecLimits.MAX_TOTAL_BYTES
        - ExecLimits.WORKER_ENV_BYTES);
    return perString - 1 - 8; // its NUL and its pointer
  }

  @Test
  void parse_argumentsAndEnvUpToTheKernelsLimits_areAccepted() {
    String longest = "x".repeat(ExecLimits.MAX_STRING_BYTES - 1);
    JsonObject json = with(with("command", array("run", longest)), "env",
        new JsonObject().put("LONG", "v".repeat(ExecLimits.MAX_STRING_BYTES - 1 - "LONG=".length())));

    FunctionSpec spec = FunctionSpecParser.parse(json);

    assertThat(spec.command().get(1)).hasSize(131_071);
    assertThat(spec.env().get("LONG")).hasSize(131_066);
  }

  @Test
  void parse_commandFillingTheTotalExactly_isAccepted_andOneByteMoreIsNot() {
    int length = lengthFilling(8);
    JsonArray argv = argv(8, length);

    assertThat(FunctionSpecParser.parse(with("command", argv)).command()).hasSize(8);

    argv.set(7, argv.getString(7) + "y");
    assertRefused(with("command", argv), "command", "make 1048577 bytes", "at most 1048576");
  }

  @Test
  void parse_manyShortArguments_countTheirPointers() {
    // 110,000 one-byte arguments are 220 KB of strings but 1.1 MB of argv once each pointer is counted.
    assertRefused(with("command", argv(110_000, 1)), "command", "command (1100000 bytes)");
  }

  @Test
  void parse_environmentOverTheTotal_namesEnv() {
    JsonObject env = new JsonObject();
    for (int i = 0; i < 9; i++) {
      env.put("VAR_" + i, "v".repeat(120_000));
    }

    assertRefused(with("env", env), "env", "env (1080135 bytes)", "at most 1048576");
  }

  @Test
  void parse_imageWithoutCommand_needsAPort() {
    JsonObject json = new JsonObject().put("name", "web").put("image", "nginx:1.27").put("port", 80);

    FunctionSpec spec = FunctionSpecParser.parse(json);

    assertThat(spec.image()).isEqualTo("nginx:1.27");
    assertThat(spec.command()).isEmpty();
    assertThat(spec.port()).isEqualTo(80);
  }

  static Stream<Arguments> acceptedValues() {
    return Stream.of(
        arguments("name of one character", with("name", "a"), (Consumer<FunctionSpec>) s ->
            assertThat(s.name()).isEqualTo("a")),
        arguments("name of 63 characters", with("name", "a" + "-b".repeat(31)), (Consumer<FunctionSpec>) s ->
            assertThat(s.name()).hasSize(63)),
        arguments("name with digits first", with("name", "9lives"), (Consumer<FunctionSpec>) s ->
            assertThat(s.name()).isEqualTo("9lives")),
        arguments("port 65535", with("port", 65535), (Consumer<FunctionSpec>) s ->
            assertThat(s.port()).isEqualTo(65535)),
        arguments("image and command together, port 0", with("image", "busybox"), (Consumer<FunctionSpec>) s ->
            assertThat(s.image()).isEqualTo("busybox")),
        arguments("maxScale 0 is unbounded whatever minScale",
            with(with("scaling.minScale", 5), "scaling.maxScale", 0), (Consumer<FunctionSpec>) s ->
                assertThat(s.scaling()).isEqualTo(new FunctionSpec.Scaling(5, 0, 1, 60))),
        arguments("maxScale equal to minScale", with(with("scaling.minScale", 3), "scaling.maxScale", 3),
            (Consumer<FunctionSpec>) s -> assertThat(s.scaling().maxScale()).isEqualTo(3)),
        arguments("upper bounds", with(with(with(with(with(with(minimal(), "scaling.targetConcurrency", 1000),
            "scaling.keepAliveSeconds", 86400), "timeoutSeconds", 3600), "resources.cpuMillis", 256000),
            "resources.memoryMiB", 1048576), "scaling.minScale", Integer.MAX_VALUE),
            (Consumer<FunctionSpec>) s -> {
              assertThat(s.scaling()).isEqualTo(new FunctionSpec.Scaling(Integer.MAX_VALUE, 0, 1000, 86400));
              assertThat(s.resources()).isEqualTo(new FunctionSpec.Resources(256000, 1048576));
              assertThat(s.timeoutSeconds()).isEqualTo(3600);
            }),
        arguments("lower bounds", with(with(with(with(with(minimal(), "scaling.targetConcurrency", 1),
            "scaling.keepAliveSeconds", 1), "timeoutSeconds", 1), "resources.cpuMillis", 1), "resources.memoryMiB", 1),
            (Consumer<FunctionSpec>) s -> {
              assertThat(s.scaling()).isEqualTo(new FunctionSpec.Scaling(0, 0, 1, 1));
              assertThat(s.resources()).isEqualTo(new FunctionSpec.Resources(1, 1));
              assertThat(s.timeoutSeconds()).isEqualTo(1);
            }),
        arguments("empty objects take defaults", with(with(minimal(), "resources", new JsonObject()), "scaling",
            new JsonObject()), (Consumer<FunctionSpec>) s -> {
              assertThat(s.resources()).isEqualTo(new FunctionSpec.Resources(250, 256));
              assertThat(s.scaling()).isEqualTo(new FunctionSpec.Scaling(0, 0, 1, 60));
            }),
        arguments("env name with lowercase and underscore", with("env", new JsonObject().put("_lower_1", "v")),
            (Consumer<FunctionSpec>) s -> assertThat(s.env()).containsEntry("_lower_1", "v")),
        arguments("env name that only contains PULSE", with("env", new JsonObject().put("MY_PULSE_X", "v")),
            (Consumer<FunctionSpec>) s -> assertThat(s.env()).containsKey("MY_PULSE_X")),
        arguments("arguments keep spaces and unicode", with("command", array("sh", "-c", "echo héllo wörld")),
            (Consumer<FunctionSpec>) s -> assertThat(s.command()).containsExactly("sh", "-c", "echo héllo wörld")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedValues")
  void parse_boundaryValue_isAccepted(String description, JsonObject json, Consumer<FunctionSpec> check) {
    check.accept(FunctionSpecParser.parse(json));
  }

  static Stream<Arguments> rejectedSpecs() {
    return Stream.of(
        // name
        arguments("name missing", with("name", ABSENT), "name", "name is required"),
        arguments("name null", with("name", null), "name", "name is required"),
        arguments("name not a string", with("name", 5), "name", "name must be a string, got number 5"),
        arguments("name uppercase", with("name", "Hello"), "name", "DNS-1123 label"),
        arguments("name empty", with("name", ""), "name", "got \"\""),
        arguments("name starts with -", with("name", "-hello"), "name", "got \"-hello\""),
        arguments("name ends with -", with("name", "hello-"), "name", "got \"hello-\""),
        arguments("name with underscore", with("name", "a_b"), "name", "got \"a_b\""),
        arguments("name with dot", with("name", "a.b"), "name", "got \"a.b\""),
        arguments("name of 64 characters", with("name", "a".repeat(64)), "name", "at most 63 characters"),
        // image and command
        arguments("neither image nor command", with("command", ABSENT), "command", "one of image"),
        arguments("image empty", with("image", ""), "image", "OCI image reference"),
        arguments("image uppercase", with("image", "Nginx"), "image", "got \"Nginx\""),
        arguments("image empty tag", with("image", "nginx:"), "image", "got \"nginx:\""),
        arguments("image empty path component", with("image", "a//b"), "image", "got \"a//b\""),
        arguments("image short digest", with("image", "nginx@sha256:abc"), "image", "nginx@sha256:abc"),
        arguments("image not a string", with("image", new JsonObject()), "image", "image must be a string, got object"),
        arguments("command not an array", with("command", "run"), "command",
            "command must be an array, got string \"run\""),
        arguments("command empty", with("command", new JsonArray()), "command", "non-empty array"),
        arguments("command with empty argument", with("command", array("run", "")), "command[1]",
            "command[1] must not be empty"),
        arguments("command with a number", with("command", array("run", "x", 3)), "command[2]",
            "command[2] must be a string, got number 3"),
        arguments("command with null", with("command", array((Object) null)), "command[0]",
            "command[0] must be a string, got null"),
        arguments("command with a NUL", with("command", array("run", "a", "b", "x\0y")), "command[3]",
            "command[3] must not contain a NUL character"),
        arguments("command with only a NUL", with("command", array("\0")), "command[0]", "NUL"),
        arguments("argument over MAX_ARG_STRLEN", with("command", array("run", "x".repeat(131_072))), "command[1]",
            "command[1] is too long: an argument takes 131073 bytes with its NUL, at most 131072"),
        arguments("argument over MAX_ARG_STRLEN in UTF-8 bytes", with("command", array("é".repeat(65_536))),
            "command[0]", "takes 131073 bytes"),
        arguments("image with a NUL", with("image", "busybox\0:1"), "image", "OCI image reference"),
        // port
        arguments("port negative", with("port", -1), "port", "port must be at least 0, got -1"),
        arguments("port too large", with("port", 65536), "port", "port must be at most 65535, got 65536"),
        arguments("port a string", with("port", "80"), "port", "port must be an integer, got string \"80\""),
        arguments("port a fraction", with("port", 80.5), "port", "port must be an integer, got number 80.5"),
        arguments("image without command and port", with(with("command", ABSENT), "image", "nginx"), "port",
            "port must be set"),
        // env
        arguments("env not an object", with("env", array("A=1")), "env", "env must be an object, got array"),
        arguments("env value a number", with("env", new JsonObject().put("FOO", 1)), "env.FOO",
            "env.FOO must be a string, got number 1"),
        arguments("env value null", with("env", new JsonObject().putNull("FOO")), "env.FOO",
            "env.FOO must be a string, got null"),
        arguments("env name starts with a digit", with("env", new JsonObject().put("1FOO", "x")), "env.1FOO",
            "got \"1FOO\""),
        arguments("env name with a dash", with("env", new JsonObject().put("A-B", "x")), "env.A-B", "got \"A-B\""),
        arguments("env name empty", with("env", new JsonObject().put("", "x")), "env.", "got \"\""),
        arguments("env value with a NUL", with("env", new JsonObject().put("A", "1").put("SECRET", "x\0y")),
            "env.SECRET", "env.SECRET must not contain a NUL character"),
        arguments("env name with a NUL", with("env", new JsonObject().put("A\0B", "x")), "env.A\0B",
            "got \"A\\u0000B\""),
        arguments("env name with =", with("env", new JsonObject().put("A=B", "x")), "env.A=B", "got \"A=B\""),
        arguments("env entry over MAX_ARG_STRLEN", with("env", new JsonObject().put("BIG", "v".repeat(131_068))),
            "env.BIG", "env.BIG is too long: NAME=value takes 131073 bytes with its NUL, at most 131072"),
        arguments("env PORT", with("env", new JsonObject().put("PORT", "1")), "env.PORT", "reserved"),
        arguments("env PULSE_*", with("env", new JsonObject().put("PULSE_INSTANCE_ID", "x")),
            "env.PULSE_INSTANCE_ID", "reserved"),
        // resources
        arguments("resources not an object", with("resources", "big"), "resources", "must be an object"),
        arguments("cpuMillis zero", with("resources.cpuMillis", 0), "resources.cpuMillis",
            "resources.cpuMillis must be at least 1, got 0"),
        arguments("cpuMillis negative", with("resources.cpuMillis", -250), "resources.cpuMillis", "got -250"),
        arguments("cpuMillis too large", with("resources.cpuMillis", 256001), "resources.cpuMillis",
            "at most 256000, got 256001"),
        arguments("memoryMiB zero", with("resources.memoryMiB", 0), "resources.memoryMiB", "at least 1, got 0"),
        arguments("memoryMiB too large", with("resources.memoryMiB", 1048577), "resources.memoryMiB",
            "at most 1048576, got 1048577"),
        arguments("resources unknown field", with("resources.gpus", 1), "resources.gpus",
            "unknown field 'resources.gpus'"),
        // scaling
        arguments("scaling not an object", with("scaling", 3), "scaling", "scaling must be an object, got number 3"),
        arguments("minScale negative", with("scaling.minScale", -1), "scaling.minScale", "at least 0, got -1"),
        arguments("minScale beyond int", with("scaling.minScale", 3_000_000_000L), "scaling.minScale",
            "at most 2147483647, got 3000000000"),
        arguments("maxScale negative", with("scaling.maxScale", -2), "scaling.maxScale", "at least 0, got -2"),
        arguments("maxScale below minScale", with(with("scaling.minScale", 3), "scaling.maxScale", 1),
            "scaling.maxScale", "at least scaling.minScale (3), got 1"),
        arguments("targetConcurrency zero", with("scaling.targetConcurrency", 0), "scaling.targetConcurrency",
            "at least 1, got 0"),
        arguments("targetConcurrency too large", with("scaling.targetConcurrency", 1001),
            "scaling.targetConcurrency", "at most 1000, got 1001"),
        arguments("keepAliveSeconds zero", with("scaling.keepAliveSeconds", 0), "scaling.keepAliveSeconds",
            "at least 1, got 0"),
        arguments("keepAliveSeconds too large", with("scaling.keepAliveSeconds", 86401),
            "scaling.keepAliveSeconds", "at most 86400, got 86401"),
        arguments("scaling unknown field", with("scaling.keepAlive", 60), "scaling.keepAlive",
            "unknown field 'scaling.keepAlive'"),
        arguments("scaling boolean", with("scaling.minScale", true), "scaling.minScale",
            "must be an integer, got boolean true"),
        // timeoutSeconds
        arguments("timeoutSeconds zero", with("timeoutSeconds", 0), "timeoutSeconds", "at least 1, got 0"),
        arguments("timeoutSeconds too large", with("timeoutSeconds", 3601), "timeoutSeconds",
            "at most 3600, got 3601"),
        arguments("timeoutSeconds huge", with("timeoutSeconds", new BigInteger("100000000000000000000")),
            "timeoutSeconds", "got 100000000000000000000"),
        // typos
        arguments("unknown top-level field", with("timeout", 30), "timeout", "unknown field 'timeout'"),
        arguments("misspelt field", with("scalling", new JsonObject()), "scalling", "unknown field 'scalling'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedSpecs")
  void parse_invalidSpec_namesFieldAndValue(String description, JsonObject json, String field, String message) {
    assertRefused(json, field, message);
  }

  private static void assertRefused(JsonObject json, String field, String... messageParts) {
    assertThatThrownBy(() -> FunctionSpecParser.parse(json))
        .isInstanceOfSatisfying(InvalidFunctionSpecException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(messageParts);
        });
  }

  @Test
  void parse_hugeBadValue_isCutShortInTheMessage() {
    String huge = "X".repeat(10_000);

    assertThatThrownBy(() -> FunctionSpecParser.parse(with("name", huge)))
        .hasMessageContaining("XXX...")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void secrets_namesAndEnvForms_areParsedAndWrittenBackAsGiven() {
    JsonObject json = new JsonObject().put("name", "web").put("command", new io.vertx.core.json.JsonArray().add("x"))
        .put("secrets", new io.vertx.core.json.JsonArray().add("db")
            .add(new JsonObject().put("name", "api-key").put("env", "API_KEY")));
    FunctionSpec spec = FunctionSpecParser.parse(json);
    assertThat(spec.secrets()).containsExactly(SecretRef.file("db"), new SecretRef("api-key", "API_KEY"));
    assertThat(FunctionJson.toJson(spec).getJsonArray("secrets")).isEqualTo(json.getJsonArray("secrets"));
    assertThat(FunctionSpecParser.parse(FunctionJson.toJson(spec))).isEqualTo(spec);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "[\"Bad\"]                                   | secrets[0]",
      "[\"db\", \"db\"]                          | secrets[1]",
      "[42]                                          | secrets[0]",
      "[{\"env\": \"X\"}]                        | secrets[0].name",
      "[{\"name\": \"db\", \"env\": \"PORT\"}] | secrets[0].env",
      "[{\"name\": \"db\", \"env\": \"GREETING\"}] | secrets[0].env",
      "[{\"name\": \"db\", \"file\": \"x\"}] | secrets[0].file"})
  void secrets_invalid_isRefusedNamingTheField(String secrets, String field) {
    JsonObject json = new JsonObject().put("name", "web").put("command", new io.vertx.core.json.JsonArray().add("x"))
        .put("env", new JsonObject().put("GREETING", "hi"))
        .put("secrets", new io.vertx.core.json.JsonArray(secrets.strip()));
    assertThatThrownBy(() -> FunctionSpecParser.parse(json)).isInstanceOf(InvalidFunctionSpecException.class)
        .extracting(e -> ((InvalidFunctionSpecException) e).field()).isEqualTo(field);
  }

  @Test
  void async_settings_areParsedWithDefaults_andWrittenBackOnlyWhenSet() {
    JsonObject plain = new JsonObject().put("name", "web").put("command", new io.vertx.core.json.JsonArray().add("x"));
    assertThat(FunctionSpecParser.parse(plain).async()).isEqualTo(AsyncSettings.DEFAULTS);
    assertThat(FunctionJson.toJson(FunctionSpecParser.parse(plain)).containsKey("async")).isFalse();

    JsonObject json = plain.copy().put("async", new JsonObject().put("maxAttempts", 5).put("backoffMs", 100)
        .put("concurrency", 2).put("timeoutSeconds", 30));
    FunctionSpec spec = FunctionSpecParser.parse(json);
    assertThat(spec.async()).isEqualTo(new AsyncSettings(5, 100, 60_000, 2, 30));
    assertThat(FunctionSpecParser.parse(FunctionJson.toJson(spec))).isEqualTo(spec);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "{\"maxAttempts\": 0}                          | async.maxAttempts",
      "{\"maxAttempts\": 101}                        | async.maxAttempts",
      "{\"backoffMs\": 0}                            | async.backoffMs",
      "{\"backoffMs\": 5000, \"maxBackoffMs\": 10} | async.maxBackoffMs",
      "{\"concurrency\": 0}                          | async.concurrency",
      "{\"timeoutSeconds\": -1}                      | async.timeoutSeconds",
      "{\"retries\": 3}                              | async.retries"})
  void async_invalid_isRefusedNamingTheField(String async, String field) {
    JsonObject json = new JsonObject().put("name", "web").put("command", new io.vertx.core.json.JsonArray().add("x"))
        .put("async", new JsonObject(async.strip()));
    assertThatThrownBy(() -> FunctionSpecParser.parse(json)).isInstanceOf(InvalidFunctionSpecException.class)
        .extracting(e -> ((InvalidFunctionSpecException) e).field()).isEqualTo(field);
  }
}
