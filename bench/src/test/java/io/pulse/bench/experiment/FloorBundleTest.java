package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.image.ImageConfig;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FloorBundleTest {

  private static final ImageConfig IMAGE = new ImageConfig("127.0.0.1:5000/pulse/httpd:v1", "sha256:m", "sha256:c",
      List.of("/bin/sh", "-c"), List.of("exec httpd -f -p $PORT -h /www"), List.of("PATH=/bin", "PORT=8080"), "/www",
      "");
  private static final ContainerdSettings DIRECT = ContainerdSettings.defaults(Path.of("/tmp/ctd.sock"),
      Path.of("/tmp/data")).withNamespace("cs-direct");
  private static final SandboxSpec SPEC = new SandboxSpec("direct", 1, IMAGE.name(), List.of(), 8080, Map.of(),
      new Resources(250, 64), 30_000);

  @Test
  void runsTheImagesProcessOnTheFreePort_inTheHostsNetwork_onTheMountedRootfsReadOnly() {
    JsonObject spec = FloorBundle.spec("runc-3", SPEC, IMAGE, 41234, Path.of("/tmp/floor/rootfs"), DIRECT);

    JsonObject process = spec.getJsonObject("process");
    assertThat(process.getJsonArray("args").getList())
        .containsExactly("/bin/sh", "-c", "exec httpd -f -p $PORT -h /www");
    assertThat(process.getJsonArray("env").getList()).contains("PATH=/bin", "PORT=41234")
        .doesNotContain("PORT=8080");
    assertThat(process.getString("cwd")).isEqualTo("/www");
    assertThat(spec.getJsonObject("root").getMap())
        .isEqualTo(Map.of("path", "/tmp/floor/rootfs", "readonly", true));
    assertThat(types(spec.getJsonObject("linux").getJsonArray("namespaces")))
        .containsExactly("pid", "ipc", "uts", "mount");
    assertThat(spec.getJsonObject("linux").getString("cgroupsPath")).isEqualTo("/pulse-floor-cs-direct-runc-3");
    assertThat(spec.getJsonObject("linux").getJsonObject("resources").getJsonObject("memory").getLong("limit"))
        .isEqualTo(64L * 1024 * 1024);
    assertThat(spec.getString("hostname")).isEqualTo("runc-3");
  }

  @Test
  void aFunctionsCommand_replacesTheImages_withItsPortFilledIn() {
    SandboxSpec withCommand = new SandboxSpec("direct", 1, IMAGE.name(), List.of("/bin/httpd", "-p", "${PORT}"), 8080,
        Map.of(), new Resources(250, 64), 30_000);

    JsonObject spec = FloorBundle.spec("crun-1", withCommand, IMAGE, 40000, Path.of("/r"), DIRECT);

    assertThat(spec.getJsonObject("process").getJsonArray("args").getList())
        .containsExactly("/bin/httpd", "-p", "40000");
  }

  private static List<String> types(JsonArray namespaces) {
    return namespaces.stream().map(n -> ((JsonObject) n).getString("type")).toList();
  }
}
