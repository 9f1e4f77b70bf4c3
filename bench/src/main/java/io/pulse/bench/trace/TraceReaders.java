package io.pulse.bench.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a trace directory in either format: the loader's ({@code invocations.csv}, {@code durations.csv}, {@code
 * memory.csv}) or the in-vitro sampler's ({@code N_inv.csv}, {@code N_run.csv}, {@code N_mem.csv}; the smallest N
 * holding at least {@code wantFunctions} functions).
 */
public final class TraceReaders {

  private static final String[] PERCENTILES = {"percentile_Average_0", "percentile_Average_1",
      "percentile_Average_25", "percentile_Average_50", "percentile_Average_75", "percentile_Average_99",
      "percentile_Average_100"};

  private TraceReaders() {}

  public static Trace read(Path dir, int wantFunctions) {
    if (Files.isRegularFile(dir.resolve("invocations.csv"))) {
      return loader(dir);
    }
    int size = invitroSize(dir, wantFunctions);
    return invitro(dir, size);
  }

  /** The loader (Azure 2019) format: one row per function, minute columns named 1..1440. */
  public static Trace loader(Path dir) {
    Csv invocations = Csv.read(dir.resolve("invocations.csv"));
    Map<String, String[]> durations = Csv.read(dir.resolve("durations.csv")).byKey("HashFunction");
    Csv durationCsv = Csv.read(dir.resolve("durations.csv"));
    Path memoryPath = dir.resolve("memory.csv");
    Csv memoryCsv = Files.isRegularFile(memoryPath) ? Csv.read(memoryPath) : null;
    Map<String, String[]> memory = memoryCsv == null ? Map.of() : memoryCsv.byKey("HashFunction");
    int hash = invocations.column("HashFunction");
    int firstMinute = invocations.column("1");
    List<TraceFunction> functions = new ArrayList<>();
    for (String[] row : invocations.rows()) {
      int[] perMinute = minutes(invocations, row, firstMinute);
      String[] d = durations.get(row[hash]);
      DurationPercentiles percentiles = d == null ? DurationPercentiles.fixed(1_000)
          : percentiles(durationCsv, d);
      String[] m = memory.get(row[hash]);
      double mb = m == null || memoryCsv == null ? 0
          : Csv.number(memoryCsv, m, memoryCsv.column("AverageAllocatedMb"));
      functions.add(new TraceFunction(row[hash], perMinute, percentiles, mb));
    }
    return new Trace("loader", dir.toString(), functions);
  }

  /** The in-vitro sampler format: {@code N_inv.csv} with minute_1.., {@code N_run.csv}, {@code N_mem.csv} per app. */
  public static Trace invitro(Path dir, int size) {
    Csv invocations = Csv.read(dir.resolve(size + "_inv.csv"));
    Csv runCsv = Csv.read(dir.resolve(size + "_run.csv"));
    Map<String, String[]> run = runCsv.byKey("HashFunction");
    Path memoryPath = dir.resolve(size + "_mem.csv");
    Csv memoryCsv = Files.isRegularFile(memoryPath) ? Csv.read(memoryPath) : null;
    Map<String, String[]> memory = memoryCsv == null ? Map.of() : memoryCsv.byKey("HashApp");
    int hash = invocations.column("HashFunction");
    int app = invocations.column("HashApp");
    int firstMinute = invocations.column("minute_1");
    List<TraceFunction> functions = new ArrayList<>();
    for (String[] row : invocations.rows()) {
      String[] r = run.get(row[hash]);
      DurationPercentiles percentiles = r == null ? DurationPercentiles.fixed(1_000) : percentiles(runCsv, r);
      String[] m = memory.get(row[app]);
      double mb = m == null || memoryCsv == null ? 0
          : Csv.number(memoryCsv, m, memoryCsv.column("AverageAllocatedMb"));
      functions.add(new TraceFunction(row[hash], minutes(invocations, row, firstMinute), percentiles, mb));
    }
    return new Trace("invitro", dir.resolve(size + "_inv.csv").toString(), functions);
  }

  private static int[] minutes(Csv csv, String[] row, int first) {
    int count = csv.header().size() - first;
    int[] perMinute = new int[count];
    for (int i = 0; i < count; i++) {
      double value = Csv.number(csv, row, first + i);
      if (value < 0) {
        throw new IllegalArgumentException(csv.path() + ": negative count in column " + csv.header().get(first + i));
      }
      perMinute[i] = (int) value;
    }
    return perMinute;
  }

  private static DurationPercentiles percentiles(Csv csv, String[] row) {
    double[] p = new double[PERCENTILES.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Csv.number(csv, row, csv.column(PERCENTILES[i]));
    }
    return new DurationPercentiles(Csv.number(csv, row, csv.column("Average")), p[0], p[1], p[2], p[3], p[4], p[5],
        p[6]);
  }

  private static int invitroSize(Path dir, int wantFunctions) {
    List<Integer> sizes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9]+_inv\\.csv"))
          .forEach(n -> sizes.add(Integer.parseInt(n.substring(0, n.indexOf('_')))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list trace directory " + dir, e);
    }
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException(dir + ": neither invocations.csv (loader format) nor N_inv.csv (in-vitro "
          + "format) found");
    }
    sizes.sort(Integer::compare);
    for (int size : sizes) {
      if (size >= wantFunctions) {
        return size;
      }
    }
    return sizes.getLast();
  }
}
