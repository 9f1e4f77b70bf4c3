package io.pulse.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogfmtTest {

  /** Every C0 and C1 control, DEL, the line and paragraph separators, quotes, backslashes, lone surrogates. */
  static String hostile() {
    StringBuilder text = new StringBuilder();
    for (char c = 0; c <= 0xa0; c++) {
      text.append(c);
    }
    return text.append("\u2028\u2029 \"quoted\" back\\slash =").append('\ud800').append("x").append('\udc00')
        .append("end").append('\ud83d').toString();
  }

  /** What no written line may hold: anything that breaks a line, or is not well-formed text. */
  static void assertOneCleanLine(String written) {
    for (int i = 0; i < written.length(); i++) {
      char c = written.charAt(i);
      assertThat(Character.isISOControl(c) || c == '\u2028' || c == '\u2029')
          .as("raw U+%04X at %d in %s", (int) c, i, written).isFalse();
      if (Character.isHighSurrogate(c)) {
        assertThat(i + 1 < written.length() && Character.isLowSurrogate(written.charAt(i + 1)))
            .as("unpaired surrogate at %d", i).isTrue();
        i++;
      } else {
        assertThat(Character.isLowSurrogate(c)).as("unpaired surrogate at %d", i).isFalse();
      }
    }
  }

  @Test
  void appendQuoted_everyControlCharacter_isEscapedAndReadsBackExactly() {
    String value = hostile();

    String written = Logfmt.appendQuoted(new StringBuilder("k="), value).toString();

    assertOneCleanLine(written);
    assertThat(written).contains("\\u0000", "\\n", "\\r", "\\t", "\\u001b", "\\u007f", "\\u0085", "\\u2028",
        "\\ud800", "\\\"quoted\\\"", "back\\\\slash");
    assertThat(LogfmtReader.fields(written)).containsExactly(Map.entry("k", value));
  }

  @Test
  void appendValue_plainTokensStayBare_andEverythingElseIsQuoted() {
    assertThat(Logfmt.appendValue(new StringBuilder(), "vm-1b2c:8080/ok.é").toString())
        .isEqualTo("vm-1b2c:8080/ok.é");
    for (String needsQuotes : List.of("", "two words", "a=b", "say \"hi\"", "back\\slash", "nul\0", "nbsp\u00a0x",
        "lf\n", "\ud800")) {
      String written = Logfmt.appendValue(new StringBuilder("k="), needsQuotes).toString();
      assertThat(written).as(needsQuotes).startsWith("k=\"").endsWith("\"");
      assertThat(LogfmtReader.fields(written)).containsExactly(Map.entry("k", needsQuotes));
    }
  }

  @Test
  void appendQuoted_wellFormedSurrogatePair_isKeptAsIs() {
    assertThat(Logfmt.appendQuoted(new StringBuilder(), "smile \ud83d\ude00").toString())
        .isEqualTo("\"smile \ud83d\ude00\"");
  }
}
