package io.pulse.common.log;

/**
 * logfmt's quoting: a value is written bare when it is a plain token, otherwise in double quotes with {@code \\},
 * {@code \"}, {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX} escapes. Every control character (C0, DEL,
 * C1), the Unicode line and paragraph separators and any unpaired surrogate are escaped, so the text written holds no
 * line break and is valid UTF-16 whatever it quotes, and unescaping it gives back the original exactly.
 */
public final class Logfmt {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Logfmt() {}

  /** Appends {@code value} bare when that reads back unambiguously, else quoted. */
  public static StringBuilder appendValue(StringBuilder out, String value) {
    return isBare(value) ? out.append(value) : appendQuoted(out, value);
  }

  /** Appends {@code value} in double quotes, escaped. */
  public static StringBuilder appendQuoted(StringBuilder out, String value) {
    out.append('"');
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (isPairAt(value, i)) {
            out.append(c).append(value.charAt(++i)); // a well-formed pair: one printable code point
          } else if (mustEscape(c)) {
            appendUnicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** Whether {@code value} may be written without quotes: not empty, no space, {@code =}, quote or escape. */
  static boolean isBare(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '=' || c == '"' || c == '\\' || mustEscape(c) || Character.isSurrogate(c)
          || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return false;
      }
    }
    return true;
  }

  /** Characters that break or hide a line (or are not text) when written raw; unpaired surrogates included. */
  static boolean mustEscape(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c);
  }

  /** Whether a well-formed surrogate pair (one code point beyond the BMP) starts at {@code i}. */
  static boolean isPairAt(String text, int i) {
    return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(i + 1));
  }

  static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
