package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;

/** A Prometheus text scrape, read just enough to sum a metric's samples. */
record Metrics(List<Sample> samples) {
  record Sample(String name, String labels, double value) {}

  static Metrics parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name;
      String labels = "";
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        labels = line.substring(brace + 1, line.lastIndexOf('}'));
      } else {
        name = line.substring(0, line.indexOf(' '));
      }
      try {
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
      } catch (NumberFormatException e) {
        // a value this reader does not need
      }
    }
    return new Metrics(List.copyOf(samples));
  }

  /** Sum of the samples of {@code name} whose labels contain {@code labelPart} (empty: all). */
  double sum(String name, String labelPart) {
    return samples.stream()
        .filter(s -> s.name.equals(name) && s.labels.contains(labelPart))
        .mapToDouble(Sample::value)
        .sum();
  }

  double sum(String name) {
    return sum(name, "");
  }

  /**
   * The upper bound of the histogram bucket holding the {@code percentile} of the observations {@code name}
   * (a Prometheus histogram, {@code name_bucket{le=...}}) made between {@code before} and this scrape; NaN when
   * there were none.
   */
  double percentileSince(Metrics before, String name, double percentile) {
    java.util.TreeMap<Double, Double> now = buckets(name);
    java.util.TreeMap<Double, Double> then = before.buckets(name);
    double total = now.isEmpty() ? 0 : now.lastEntry().getValue() - then.getOrDefault(now.lastKey(), 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    for (var e : now.entrySet()) {
      if (e.getValue() - then.getOrDefault(e.getKey(), 0.0) >= percentile / 100 * total) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /**
   * Observations of the histogram {@code name} made since {@code before} that lie above its first bucket bound at
   * or over {@code seconds}: {@code [count, bound]}; {@code [NaN, NaN]} without such a bucket.
   */
  double[] countAboveSince(Metrics before, String name, double seconds) {
    java.util.TreeMap<Double, Double> now = buckets(name);
    java.util.TreeMap<Double, Double> then = before.buckets(name);
    Double bound = now.ceilingKey(seconds);
    if (bound == null || bound.isInfinite()) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double total = now.lastEntry().getValue() - then.getOrDefault(now.lastKey(), 0.0);
    return new double[] {total - (now.get(bound) - then.getOrDefault(bound, 0.0)), bound};
  }

  private java.util.TreeMap<Double, Double> buckets(String name) {
    java.util.TreeMap<Double, Double> cumulative = new java.util.TreeMap<>();
    for (Sample s : samples) {
      int le = s.labels.indexOf("le=\"");
      if (s.name.equals(name + "_bucket") && le >= 0) {
        String bound = s.labels.substring(le + 4, s.labels.indexOf('"', le + 4));
        cumulative.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), s.value,
            Double::sum);
      }
    }
    return cumulative;
  }
}
