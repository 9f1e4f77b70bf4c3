package io.pulse.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

  @TempDir Path dir;

  /** A function name or action holding a forged audit line, every control character and the Unicode separators. */
  static String hostile() {
    StringBuilder text = new StringBuilder("f\n{\"time\":\"2026-01-01T00:00:00Z\",\"action\":\"delete\"}\r\n");
    for (char c = 0; c <= 0xa0; c++) {
      text.append(c);
    }
    return text.append("\u2028\u2029\"\\").append('\ud800').append("end").toString();
  }

  @Test
  void record_hostileNames_stayOneJsonLinePerEventAndReadBack() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    String hostile = hostile();
    try (AuditLog audit = AuditLog.open(file)) {
      audit.record(new AuditEvent(Instant.EPOCH, "POST /v1/" + hostile, hostile, 3L, 201, "127.0.0.1", "none"));
      audit.record(new AuditEvent(Instant.EPOCH, "delete", "plain", null, 204, "127.0.0.1", "abcd1234"));
    }

    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(written.chars().filter(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029))
        .as("only the two line ends are raw controls").containsExactly((int) '\n', (int) '\n');
    String[] lines = written.split("\n");
    assertThat(lines).hasSize(2);
    JsonObject first = new JsonObject(lines[0]);
    assertThat(first.getString("function")).isEqualTo(hostile);
    assertThat(first.getString("action")).isEqualTo("POST /v1/" + hostile);
    assertThat(new JsonObject(lines[1]).getString("function")).isEqualTo("plain");
  }
}
