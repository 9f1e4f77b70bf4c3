package io.pulse.bench.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small CSV file with a header (the traces have no quoting). */
record Csv(Path path, List<String> header, List<String[]> rows) {

  static Csv read(Path path) {
    try {
      List<String> lines = Files.readAllLines(path);
      if (lines.isEmpty()) {
        throw new IllegalArgumentException(path + ": empty file, a header row is required");
      }
      List<String[]> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          rows.add(line.split(",", -1));
        }
      }
      return new Csv(path, List.of(lines.get(0).trim().split(",", -1)), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace file " + path, e);
    }
  }

  int column(String name) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(path + ": column " + name + " missing (header: " + header + ")");
    }
    return index;
  }

  static double number(Csv csv, String[] row, int column) {
    String text = column < row.length ? row[column].trim() : "";
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(csv.path() + ": column " + csv.header().get(column) + " is not a number: "
          + text);
    }
  }

  /** Rows keyed by one column (the first row wins). */
  Map<String, String[]> byKey(String keyColumn) {
    int key = column(keyColumn);
    Map<String, String[]> result = new HashMap<>();
    for (String[] row : rows) {
      result.putIfAbsent(row[key], row);
    }
    return result;
  }
}
