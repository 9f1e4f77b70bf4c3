package io.pulse.common.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one logfmt line back into its fields (tests only): the inverse of {@link Logfmt}. */
final class LogfmtReader {

  private final String line;
  private int at;

  private LogfmtReader(String line) {
    this.line = line;
  }

  /** The fields of {@code line} (without its newline) in order; fails on anything {@link Logfmt} cannot write. */
  static List<Map.Entry<String, String>> fields(String line) {
    LogfmtReader reader = new LogfmtReader(line);
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    while (reader.at < line.length()) {
      String key = reader.token();
      reader.expect('=');
      fields.add(Map.entry(key, reader.token()));
      if (reader.at < line.length()) {
        reader.expect(' ');
      }
    }
    return fields;
  }

  /** As {@link #fields}, by key (a repeated key keeps its last value). */
  static Map<String, String> map(String line) {
    Map<String, String> map = new LinkedHashMap<>();
    fields(line).forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  private void expect(char c) {
    if (at >= line.length() || line.charAt(at) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + line);
    }
    at++;
  }

  private String token() {
    if (at < line.length() && line.charAt(at) == '"') {
      return quoted();
    }
    int start = at;
    while (at < line.length() && line.charAt(at) != ' ' && line.charAt(at) != '=') {
      at++;
    }
    if (start == at) {
      throw new IllegalArgumentException("empty bare token at " + at + " in " + line);
    }
    return line.substring(start, at);
  }

  private String quoted() {
    StringBuilder text = new StringBuilder();
    at++;
    while (true) {
      char c = line.charAt(at++);
      if (c == '"') {
        return text.toString();
      }
      if (c != '\\') {
        text.append(c);
        continue;
      }
      char escaped = line.charAt(at++);
      switch (escaped) {
        case '"', '\\' -> text.append(escaped);
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'u' -> {
          text.append((char) Integer.parseInt(line.substring(at, at + 4), 16));
          at += 4;
        }
        default -> throw new IllegalArgumentException("unknown escape \\" + escaped + " in " + line);
      }
    }
  }
}
