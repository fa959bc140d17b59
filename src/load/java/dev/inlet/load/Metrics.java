package dev.inlet.load;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

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
   * The upper bound of the histogram bucket holding the {@code percentile} of the observations
   * {@code name} (a Prometheus histogram, {@code name_bucket{le=...}}) made between {@code before}
   * and this scrape; NaN when there were none.
   */
  double percentileSince(Metrics before, String name, double percentile) {
    TreeMap<Double, Double> since = bucketsSince(before, name);
    double total = since.isEmpty() ? 0 : since.lastEntry().getValue();
    if (total <= 0) {
      return Double.NaN;
    }
    for (var e : since.entrySet()) {
      if (e.getValue() >= percentile / 100 * total) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Observations above a histogram bucket's upper bound (seconds), counted between two scrapes. */
  record Above(double count, double bound) {}

  /**
   * The observations {@code name} made since {@code before} above its first bucket bound at or over
   * {@code seconds}; null when the histogram has no such finite bound.
   */
  Above countAboveSince(Metrics before, String name, double seconds) {
    TreeMap<Double, Double> since = bucketsSince(before, name);
    Double bound = since.ceilingKey(seconds);
    if (bound == null || bound.isInfinite()) {
      return null;
    }
    return new Above(since.lastEntry().getValue() - since.get(bound), bound);
  }

  /**
   * Cumulative bucket counts of {@code name} (by upper bound) observed between {@code before} and
   * this scrape.
   */
  private TreeMap<Double, Double> bucketsSince(Metrics before, String name) {
    TreeMap<Double, Double> then = before.buckets(name);
    TreeMap<Double, Double> since = buckets(name);
    since.replaceAll((bound, count) -> count - then.getOrDefault(bound, 0.0));
    return since;
  }

  private TreeMap<Double, Double> buckets(String name) {
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    for (Sample s : samples) {
      int le = s.labels.indexOf("le=\"");
      if (s.name.equals(name + "_bucket") && le >= 0) {
        String bound = s.labels.substring(le + 4, s.labels.indexOf('"', le + 4));
        cumulative.merge(
            bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
            s.value,
            Double::sum);
      }
    }
    return cumulative;
  }
}
