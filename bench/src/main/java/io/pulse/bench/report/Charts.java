package io.pulse.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a report (xchart, headless). */
public final class Charts {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  private Charts() {}

  /** Empirical CDFs of latency (ms, log axis), one line per series. */
  public static void latencyCdf(Path png, String title, Map<String, double[]> latencies) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("latency (ms)")
        .yAxisTitle("fraction of requests").build();
    chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideSE)
        .setMarkerSize(0);
    latencies.forEach((name, values) -> {
      if (values.length == 0) {
        return;
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int points = Math.min(sorted.length, 400);
      double[] x = new double[points];
      double[] y = new double[points];
      for (int i = 0; i < points; i++) {
        int index = (int) Math.min(sorted.length - 1, Math.round((double) i * (sorted.length - 1) / Math.max(1,
            points - 1)));
        x[i] = Math.max(0.01, sorted[index]);
        y[i] = (index + 1) / (double) sorted.length;
      }
      chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    });
    save(chart, png);
  }

  /** Grouped bars: one group per category, one bar per series. */
  public static void bars(Path png, String title, String yTitle, List<String> categories,
      Map<String, List<Double>> series, boolean logarithmic) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setYAxisLogarithmic(logarithmic).setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setXAxisLabelRotation(45);
    series.forEach((name, values) -> chart.addSeries(name, new ArrayList<>(categories), new ArrayList<>(values)));
    save(chart, png);
  }

  /** One point per series (x, y), labelled by the series name: cost against performance. */
  public static void scatter(Path png, String title, String xTitle, String yTitle, Map<String, double[]> points) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(14)
        .setLegendPosition(Styler.LegendPosition.InsideNE);
    points.forEach((name, xy) -> chart.addSeries(name, new double[] {xy[0]}, new double[] {xy[1]}));
    save(chart, png);
  }

  /** Lines over a shared x axis. */
  public static void lines(Path png, String title, String xTitle, String yTitle, double[] x,
      Map<String, double[]> series) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    series.forEach((name, y) -> chart.addSeries(name, x, y));
    save(chart, png);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
    try {
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chart " + png, e);
    }
  }
}
