package dev.ferrymq;

import java.util.ArrayList;
import java.util.List;

/** The samples of a Prometheus text exposition, as a scraper reads them: {@code name{labels} value} per line. */
public record Scrape(String text, List<Sample> samples) {

  /** One sample line. */
  public record Sample(String name, String labels, double value) {
  }

  /** Parses {@code text} (comments skipped). */
  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
      String labels = brace >= 0 && brace < space ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
      samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return new Scrape(text, samples);
  }

  /** @return the samples of series {@code name} whose labels include {@code label="value"} (all when label is null) */
  public List<Sample> find(String name, String label, String value) {
    String pair = label + "=\"" + value + "\"";
    return samples.stream().filter(s -> s.name.equals(name))
      .filter(s -> label == null || List.of(s.labels.split(",")).contains(pair)).toList();
  }

  /** @return the value of the one sample of {@code name} with {@code label="value"}, or {@code null} when none */
  public Double value(String name, String label, String value) {
    List<Sample> found = find(name, label, value);
    if (found.size() > 1) {
      throw new AssertionError("more than one sample of " + name + " with " + label + "=" + value + ": " + found);
    }
    return found.isEmpty() ? null : found.get(0).value;
  }

  /** @return the value of the one sample of {@code name} (no label asked), or {@code null} */
  public Double value(String name) {
    return value(name, null, null);
  }

  /** @return the lines of {@code text} that mention {@code word}, to print when a test fails */
  public String linesWith(String word) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.contains(word) && !line.startsWith("#")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
