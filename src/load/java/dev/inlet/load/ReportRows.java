package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The rows of {@link Report}'s table: a section title, a figure per run with the ratios between
 * runs, a text per run, latency percentiles; and the table printed with its columns aligned.
 */
final class ReportRows {
  private ReportRows() {}

  static void latencies(
      List<String[]> rows, List<Result> results, List<int[]> ratio, Function<Result, Histogram> h) {
    for (double p : new double[] {50, 90, 99, 99.9}) {
      num(
          rows,
          results,
          ratio,
          "latency p" + (p == (int) p ? String.valueOf((int) p) : String.valueOf(p)) + " ms",
          r -> r.sending != null ? Double.NaN : h.apply(r).getValueAtPercentile(p) / 1000.0,
          "%.2f");
    }
    num(
        rows,
        results,
        ratio,
        "latency max ms",
        r -> r.sending != null ? Double.NaN : h.apply(r).getMaxValue() / 1000.0,
        "%.2f");
  }

  static void section(List<String[]> rows, String title, int n, List<int[]> ratio) {
    String[] row = new String[n + 1 + ratio.size()];
    java.util.Arrays.fill(row, "");
    row[0] = "-- " + title;
    rows.add(row);
  }

  static void num(
      List<String[]> rows,
      List<Result> results,
      List<int[]> ratio,
      String name,
      Function<Result, Double> value,
      String format) {
    List<String> row = new ArrayList<>(List.of(name));
    results.forEach(
        r -> {
          double v = value.apply(r);
          row.add(Double.isNaN(v) ? "-" : String.format(format, v));
        });
    for (int[] pair : ratio) {
      double a = value.apply(results.get(pair[0]));
      double b = value.apply(results.get(pair[1]));
      row.add(b == 0 || Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format("%.2f", a / b));
    }
    rows.add(row.toArray(String[]::new));
  }

  static void text(
      List<String[]> rows,
      List<Result> results,
      List<int[]> ratio,
      String name,
      Function<Result, String> value) {
    List<String> row = new ArrayList<>(List.of(name));
    results.forEach(r -> row.add(value.apply(r)));
    ratio.forEach(pair -> row.add(""));
    rows.add(row.toArray(String[]::new));
  }

  static void table(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] row : rows) {
      if (row[0].startsWith("-- ")) {
        continue;
      }
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      if (row[0].startsWith("-- ")) {
        System.out.println(row[0]);
        continue;
      }
      StringBuilder b = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        b.append(
            c == 0
                ? String.format("%-" + width[c] + "s", row[c])
                : String.format("  %" + width[c] + "s", row[c]));
      }
      System.out.println(b.toString().stripTrailing());
    }
  }
}
