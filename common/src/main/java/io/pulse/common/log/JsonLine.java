package io.pulse.common.log;

import io.vertx.core.json.JsonObject;

/**
 * A JSON object as one line of a JSON-lines file. Vert.x's encoder escapes only the C0 controls; this also escapes
 * DEL, the C1 controls (U+0085 ends a line for many readers), U+2028/U+2029 and unpaired surrogates as
 * {@code \}{@code uXXXX}, which JSON parsers read back as the same text, so no value can split or corrupt a line.
 */
public final class JsonLine {

  private JsonLine() {}

  public static String of(JsonObject json) {
    String encoded = json.encode();
    StringBuilder line = new StringBuilder(encoded.length() + 16);
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (Logfmt.isPairAt(encoded, i)) {
        line.append(c).append(encoded.charAt(++i));
      } else if (Logfmt.mustEscape(c)) {
        Logfmt.appendUnicodeEscape(line, c); // only inside strings: compact JSON has nothing else to escape
      } else {
        line.append(c);
      }
    }
    return line.toString();
  }
}
