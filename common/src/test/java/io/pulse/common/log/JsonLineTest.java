package io.pulse.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonLineTest {

  @Test
  void of_everyControlAndSeparator_isEscapedAndReadsBackExactly() {
    String hostile = LogfmtTest.hostile() + " smile \ud83d\ude00";
    JsonObject json = new JsonObject().put("name", hostile).put("n", 1);

    String line = JsonLine.of(json);

    LogfmtTest.assertOneCleanLine(line);
    assertThat(line).contains("\\u0085", "\\u2028", "\\ud800", "\ud83d\ude00");
    assertThat(new JsonObject(line)).isEqualTo(json);
  }
}
