package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.AsyncSettings;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The shipped OpenAPI document parses and describes exactly what the router serves, with the parser's defaults. */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {

  private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private Map<String, Object> document;

  @BeforeEach
  void load() throws Exception {
    String yaml = OpenApiDocument.load().toString(StandardCharsets.UTF_8);
    document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
  }

  @Test
  void document_isOpenApi3() {
    assertThat(document.get("openapi")).asString().startsWith("3.0");
    assertThat(map(document, "info")).containsKeys("title", "version");
  }

  @Test
  void document_describesExactlyTheRoutesTheRouterServes(Vertx vertx) {
    Router router = RestApi.router(vertx, new InMemoryFunctionRegistry(Clock.systemUTC()), new FakeClusterView());
    Set<String> served = new TreeSet<>();
    Set<String> readable = new TreeSet<>();
    Set<String> headable = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath().replaceAll(":(\\w+)", "{$1}");
      for (HttpMethod method : route.methods()) {
        if (method.equals(HttpMethod.HEAD)) {
          headable.add(path); // implied by GET, as the document's description says
        } else {
          served.add(method.name().toLowerCase() + " " + path);
        }
        if (method.equals(HttpMethod.GET)) {
          readable.add(path);
        }
      }
    }
    assertThat(headable).as("every GET route answers HEAD").isEqualTo(readable);

    Set<String> documented = new TreeSet<>();
    map(document, "paths").forEach((path, item) -> ((Map<?, ?>) item).keySet().stream()
        .map(String::valueOf)
        .filter(OPERATIONS::contains)
        .forEach(operation -> documented.add(operation + " " + path)));

    assertThat(served).hasSize(19);
    assertThat(documented).isEqualTo(served);
  }

  @Test
  void functionSpecSchema_statesTheParsersDefaultsAndBounds() {
    Map<String, Object> schemas = map(map(document, "components"), "schemas");
    Map<String, Object> spec = map(map(schemas, "FunctionSpec"), "properties");
    Map<String, Object> resources = map(map(schemas, "Resources"), "properties");
    Map<String, Object> scaling = map(map(schemas, "Scaling"), "properties");

    assertThat(spec).containsOnlyKeys("name", "image", "command", "port", "env", "resources", "scaling",
        "timeoutSeconds", "secrets", "async", "revision", "createdAt", "updatedAt", "status");
    Map<String, Object> async = map(map(schemas, "AsyncSettings"), "properties");
    assertThat(map(async, "maxAttempts")).containsEntry("default", AsyncSettings.DEFAULTS.maxAttempts());
    assertThat(map(async, "backoffMs")).containsEntry("default", (int) AsyncSettings.DEFAULTS.backoffMs());
    assertThat(map(async, "maxBackoffMs")).containsEntry("default", (int) AsyncSettings.DEFAULTS.maxBackoffMs());
    assertThat(map(async, "concurrency")).containsEntry("default", AsyncSettings.DEFAULTS.concurrency());
    assertThat(map(spec, "name")).containsEntry("maxLength", 63);
    assertThat(map(spec, "port")).containsEntry("default", FunctionSpec.DEFAULT_PORT)
        .containsEntry("maximum", 65535);
    assertThat(map(spec, "timeoutSeconds")).containsEntry("default", FunctionSpec.DEFAULT_TIMEOUT_SECONDS)
        .containsEntry("minimum", 1).containsEntry("maximum", 3600);
    assertThat(map(resources, "cpuMillis")).containsEntry("default", FunctionSpec.DEFAULT_CPU_MILLIS)
        .containsEntry("maximum", 256000);
    assertThat(map(resources, "memoryMiB")).containsEntry("default", FunctionSpec.DEFAULT_MEMORY_MIB)
        .containsEntry("maximum", 1048576);
    assertThat(map(scaling, "minScale")).containsEntry("default", FunctionSpec.DEFAULT_MIN_SCALE);
    assertThat(map(scaling, "maxScale")).containsEntry("default", FunctionSpec.DEFAULT_MAX_SCALE);
    assertThat(map(scaling, "targetConcurrency"))
        .containsEntry("default", FunctionSpec.DEFAULT_TARGET_CONCURRENCY).containsEntry("maximum", 1000);
    assertThat(map(scaling, "keepAliveSeconds"))
        .containsEntry("default", FunctionSpec.DEFAULT_KEEP_ALIVE_SECONDS).containsEntry("maximum", 86400);
  }

  @Test
  void everyReference_pointsAtAComponent() {
    assertReferencesResolve(document);
  }

  private void assertReferencesResolve(Object node) {
    if (node instanceof Map<?, ?> object) {
      object.forEach((key, value) -> {
        if ("$ref".equals(key)) {
          Object target = document;
          for (String part : String.valueOf(value).substring(2).split("/")) {
            target = ((Map<?, ?>) target).get(part);
            assertThat(target).as("target of %s", value).isNotNull();
          }
        } else {
          assertReferencesResolve(value);
        }
      });
    } else if (node instanceof Iterable<?> list) {
      list.forEach(this::assertReferencesResolve);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as("'%s' in the document", key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
