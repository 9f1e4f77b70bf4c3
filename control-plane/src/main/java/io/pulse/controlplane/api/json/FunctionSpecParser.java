package io.pulse.controlplane.api.json;

import io.pulse.controlplane.registry.AsyncSettings;
import io.pulse.controlplane.registry.ExecLimits;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.ImageReference;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.registry.SecretRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a JSON function spec (as the REST API receives it, and as the stores keep it) into a {@link FunctionSpec}, filling defaults and
 * enforcing every rule. The first violation found is thrown as an {@link InvalidFunctionSpecException} naming the
 * field path and the bad value; unknown fields are violations too, so a typo never passes silently.
 */
public final class FunctionSpecParser {

  static final int MAX_PORT = 65_535;
  static final int MAX_CPU_MILLIS = 256_000;
  static final int MAX_MEMORY_MIB = 1_048_576;
  static final int MAX_TARGET_CONCURRENCY = 1_000;
  static final int MAX_KEEP_ALIVE_SECONDS = 86_400;
  static final int MAX_TIMEOUT_SECONDS = 3_600;
  static final int MAX_EMERGENCY_KEEP_ALIVE_MS = 600_000;
  /** Pool members one function may ask of each worker (the worker's own pool budget bounds them all). */
  static final int MAX_PREWARM = 64;
  /** {@code scaling.prewarm}'s automatic mode: the leader sizes the pools. */
  static final String PREWARM_AUTO = "auto";
  /** Secrets one function may receive (with values of at most 32 KiB, as env they stay within the exec limits). */
  public static final int MAX_SECRETS = 16;

  /**
   * Fields the registry assigns ({@code revision}, {@code createdAt}, {@code updatedAt}) and the status GET adds. They
   * are accepted and ignored on input, whatever their value, so that a record fetched with GET can be edited and sent
   * back with PUT as it is: they are output, and checking their shape would only refuse an otherwise good spec.
   */
  static final Set<String> READ_ONLY_FIELDS = Set.of("revision", "createdAt", "updatedAt", "status");

  private static final Set<String> SPEC_FIELDS =
      Set.of("name", "image", "command", "port", "env", "resources", "scaling", "timeoutSeconds", "secrets", "async");
  private static final Set<String> ASYNC_FIELDS =
      Set.of("maxAttempts", "backoffMs", "maxBackoffMs", "concurrency", "timeoutSeconds");
  static final int MAX_ASYNC_ATTEMPTS = 100;
  static final long MAX_ASYNC_BACKOFF_MS = 3_600_000;
  static final int MAX_ASYNC_CONCURRENCY = 10_000;
  private static final Set<String> SECRET_FIELDS = Set.of("name", "env");
  private static final Set<String> RESOURCE_FIELDS = Set.of("cpuMillis", "memoryMiB");
  private static final Set<String> SCALING_FIELDS =
      Set.of("minScale", "maxScale", "targetConcurrency", "keepAliveSeconds", "policy", "emergencyKeepAliveMs",
          "prewarm");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private FunctionSpecParser() {}

  /** Parses and validates a spec; throws {@link InvalidFunctionSpecException} on the first violation. */
  public static FunctionSpec parse(JsonObject json) {
    Set<String> known = new TreeSet<>(SPEC_FIELDS);
    known.addAll(READ_ONLY_FIELDS);
    JsonFields fields = JsonFields.of(json, "", known);

    String name = name(fields);
    String image = image(fields);
    List<String> command = command(fields);
    if (image == null && command.isEmpty()) {
      throw new InvalidFunctionSpecException("command",
          "one of image (an OCI reference, for containerd) or command (an argv, for the process runtime) is required");
    }
    int port = fields.integer("port", 0, MAX_PORT, FunctionSpec.DEFAULT_PORT);
    if (port == 0 && image != null && command.isEmpty()) {
      // Without a command the image's own entrypoint runs and will not read $PORT, so the port must be declared.
      throw new InvalidFunctionSpecException("port",
          "port must be set (1.." + MAX_PORT + ") for an image without a command, got 0");
    }
    Map<String, String> env = env(fields);
    ExecLimits.check(command, env);
    return new FunctionSpec(name, image, command, port, env, resources(fields), scaling(fields),
        fields.integer("timeoutSeconds", 1, MAX_TIMEOUT_SECONDS, FunctionSpec.DEFAULT_TIMEOUT_SECONDS),
        secrets(fields, env), async(fields));
  }

  /** {@code ["db", {"name": "api-key", "env": "API_KEY"}]}: by name, and optionally as an environment variable. */
  private static List<SecretRef> secrets(JsonFields fields, Map<String, String> env) {
    JsonArray array = fields.optionalArray("secrets");
    if (array == null) {
      return List.of();
    }
    if (array.size() > MAX_SECRETS) {
      throw new InvalidFunctionSpecException("secrets", "a function may receive at most " + MAX_SECRETS
          + " secrets, got " + array.size());
    }
    List<SecretRef> refs = new ArrayList<>(array.size());
    Set<String> names = new java.util.HashSet<>();
    Set<String> envNames = new java.util.HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String field = "secrets[" + i + "]";
      SecretRef ref = switch (array.getValue(i)) {
        case String name -> new SecretRef(name, null);
        case JsonObject object -> {
          JsonFields entry = JsonFields.of(object, field + ".", SECRET_FIELDS);
          String name = entry.optionalString("name");
          if (name == null) {
            throw new InvalidFunctionSpecException(field + ".name", field + ".name is required");
          }
          yield new SecretRef(name, entry.optionalString("env"));
        }
        case null, default -> throw JsonFields.wrongType(field, "a secret name or {\"name\": ..., \"env\": ...}",
            array.getValue(i));
      };
      String nameField = array.getValue(i) instanceof String ? field : field + ".name";
      if (!SecretRef.validName(ref.name())) {
        throw new InvalidFunctionSpecException(nameField, SecretRef.nameRule(nameField) + ", got "
            + JsonFields.shown(ref.name()));
      }
      if (!names.add(ref.name())) {
        throw new InvalidFunctionSpecException(nameField, "secret '" + ref.name() + "' is listed twice");
      }
      String envName = ref.env();
      if (envName != null) {
        String envField = field + ".env";
        if (!ENV_NAME.matcher(envName).matches()) {
          throw new InvalidFunctionSpecException(envField, "env names must match [A-Za-z_][A-Za-z0-9_]*, got "
              + JsonFields.shown(envName));
        }
        if (envName.equals("PORT") || envName.startsWith("PULSE_")) {
          throw new InvalidFunctionSpecException(envField,
              envField + " is set by the platform (PORT and PULSE_* are reserved)");
        }
        if (env.containsKey(envName) || !envNames.add(envName)) {
          throw new InvalidFunctionSpecException(envField, "environment variable " + envName
              + " is already set by env or another secret");
        }
      }
      refs.add(ref);
    }
    return refs;
  }

  private static String name(JsonFields fields) {
    String name = fields.optionalString("name");
    if (name == null) {
      throw new InvalidFunctionSpecException("name", "name is required");
    }
    if (!FunctionSpec.validName(name)) {
      throw new InvalidFunctionSpecException("name", "name must be a DNS-1123 label (lowercase letters, digits and"
          + " '-', starting and ending with a letter or digit, at most " + FunctionSpec.MAX_NAME_LENGTH
          + " characters), got "
          + JsonFields.shown(name));
    }
    return name;
  }

  private static @Nullable String image(JsonFields fields) {
    String image = fields.optionalString("image");
    if (image != null && !ImageReference.isValid(image)) {
      throw new InvalidFunctionSpecException("image",
          "image must be an OCI image reference such as 'registry.example.com/team/app:1.2' or"
              + " 'app@sha256:<hex>', got " + JsonFields.shown(image));
    }
    return image;
  }

  private static List<String> command(JsonFields fields) {
    JsonArray array = fields.optionalArray("command");
    if (array == null) {
      return List.of();
    }
    if (array.isEmpty()) {
      throw new InvalidFunctionSpecException("command",
          "command must be a non-empty array of strings (omit it to run the image's entrypoint), got []");
    }
    List<String> command = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String field = "command[" + i + "]";
      Object value = array.getValue(i);
      if (!(value instanceof String argument)) {
        throw JsonFields.wrongType(field, "a string", value);
      }
      if (argument.isEmpty()) {
        throw new InvalidFunctionSpecException(field, field + " must not be empty");
      }
      command.add(argument);
    }
    return command;
  }

  private static Map<String, String> env(JsonFields fields) {
    JsonObject object = fields.optionalObject("env");
    if (object == null) {
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String key : new TreeSet<>(object.fieldNames())) {
      String field = "env." + key;
      if (!ENV_NAME.matcher(key).matches()) {
        throw new InvalidFunctionSpecException(field, "env names must match [A-Za-z_][A-Za-z0-9_]*, got "
            + JsonFields.shown(key));
      }
      if (key.equals("PORT") || key.startsWith("PULSE_")) {
        throw new InvalidFunctionSpecException(field,
            field + " is set by the platform (PORT and PULSE_* are reserved)");
      }
      Object value = object.getValue(key);
      if (!(value instanceof String text)) {
        throw JsonFields.wrongType(field, "a string", value);
      }
      env.put(key, text);
    }
    return env;
  }

  private static FunctionSpec.Resources resources(JsonFields fields) {
    JsonObject object = fields.optionalObject("resources");
    JsonFields resources = JsonFields.of(object == null ? new JsonObject() : object, "resources.", RESOURCE_FIELDS);
    return new FunctionSpec.Resources(
        resources.integer("cpuMillis", 1, MAX_CPU_MILLIS, FunctionSpec.DEFAULT_CPU_MILLIS),
        resources.integer("memoryMiB", 1, MAX_MEMORY_MIB, FunctionSpec.DEFAULT_MEMORY_MIB));
  }

  private static AsyncSettings async(JsonFields fields) {
    JsonObject object = fields.optionalObject("async");
    JsonFields async = JsonFields.of(object == null ? new JsonObject() : object, "async.", ASYNC_FIELDS);
    AsyncSettings defaults = AsyncSettings.DEFAULTS;
    int maxAttempts = async.integer("maxAttempts", 1, MAX_ASYNC_ATTEMPTS, defaults.maxAttempts());
    long backoffMs = async.integer("backoffMs", 1, (int) MAX_ASYNC_BACKOFF_MS, (int) defaults.backoffMs());
    long maxBackoffMs = async.integer("maxBackoffMs", 1, (int) MAX_ASYNC_BACKOFF_MS,
        (int) Math.max(defaults.maxBackoffMs(), backoffMs));
    if (maxBackoffMs < backoffMs) {
      throw new InvalidFunctionSpecException("async.maxBackoffMs", "async.maxBackoffMs must be at least"
          + " async.backoffMs (" + backoffMs + "), got " + maxBackoffMs);
    }
    return new AsyncSettings(maxAttempts, backoffMs, maxBackoffMs,
        async.integer("concurrency", 1, MAX_ASYNC_CONCURRENCY, defaults.concurrency()),
        async.integer("timeoutSeconds", 0, MAX_TIMEOUT_SECONDS, defaults.timeoutSeconds()));
  }

  private static FunctionSpec.Scaling scaling(JsonFields fields) {
    JsonObject object = fields.optionalObject("scaling");
    JsonFields scaling = JsonFields.of(object == null ? new JsonObject() : object, "scaling.", SCALING_FIELDS);
    int minScale = scaling.integer("minScale", 0, Integer.MAX_VALUE, FunctionSpec.DEFAULT_MIN_SCALE);
    int maxScale = scaling.integer("maxScale", 0, Integer.MAX_VALUE, FunctionSpec.DEFAULT_MAX_SCALE);
    if (maxScale != 0 && maxScale < minScale) {
      throw new InvalidFunctionSpecException("scaling.maxScale", "scaling.maxScale must be 0 (unbounded) or at least"
          + " scaling.minScale (" + minScale + "), got " + maxScale);
    }
    ScalingPolicy policy = null;
    String policyLabel = scaling.optionalString("policy");
    if (policyLabel != null) {
      policy = ScalingPolicy.fromLabel(policyLabel).orElseThrow(() -> new InvalidFunctionSpecException(
          "scaling.policy", "scaling.policy must be one of " + ScalingPolicy.labels() + " (or absent for the"
              + " cluster default), got " + JsonFields.shown(policyLabel)));
    }
    boolean prewarmAuto = prewarmAuto(object);
    return new FunctionSpec.Scaling(minScale, maxScale,
        scaling.integer("targetConcurrency", 1, MAX_TARGET_CONCURRENCY, FunctionSpec.DEFAULT_TARGET_CONCURRENCY),
        scaling.integer("keepAliveSeconds", 1, MAX_KEEP_ALIVE_SECONDS, FunctionSpec.DEFAULT_KEEP_ALIVE_SECONDS),
        policy,
        scaling.integer("emergencyKeepAliveMs", 0, MAX_EMERGENCY_KEEP_ALIVE_MS,
            FunctionSpec.DEFAULT_EMERGENCY_KEEP_ALIVE_MS),
        prewarmAuto ? 0 : scaling.integer("prewarm", 0, MAX_PREWARM, 0), prewarmAuto);
  }

  /** {@code "auto"}; any other string is refused here, a number is left to the range check. */
  private static boolean prewarmAuto(@Nullable JsonObject scaling) {
    Object value = scaling == null ? null : scaling.getValue("prewarm");
    if (!(value instanceof String text)) {
      return false;
    }
    if (!text.equals(PREWARM_AUTO)) {
      throw new InvalidFunctionSpecException("scaling.prewarm", "scaling.prewarm must be an integer 0.." + MAX_PREWARM
          + " or \"" + PREWARM_AUTO + "\", got " + JsonFields.describe(text));
    }
    return true;
  }
}
