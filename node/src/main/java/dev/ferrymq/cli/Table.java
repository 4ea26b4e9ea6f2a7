package dev.ferrymq.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A plain-text table for people: columns padded, numbers right-aligned, {@code -} for nothing. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  /** @param header the column names, printed first (none: no header line) */
  Table(String... header) {
    columns = header.length;
    if (header.length > 0) {
      rows.add(header);
    }
  }

  /** Adds a row; {@code null} cells show as {@code -}. @return this */
  Table row(Object... cells) {
    String[] row = new String[Math.max(columns, cells.length)];
    for (int i = 0; i < row.length; i++) {
      row[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "-";
    }
    rows.add(row);
    return this;
  }

  /** @return a two-column table of {@code json}'s fields, nested objects flattened as {@code options.maxLength} */
  static Table of(JsonObject json) {
    Table t = new Table();
    flatten(t, "", json);
    return t;
  }

  void print(PrintStream out) {
    int n = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    java.util.Arrays.fill(numeric, true);
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
        if ((r > 0 || columns == 0) && !row[i].matches("-?\\d+|-")) {
          numeric[i] = false;
        }
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        String pad = " ".repeat(width[i] - cell.length());
        line.append(i == 0 ? "" : "  ").append(numeric[i] && i > 0 ? pad + cell : cell + (i < row.length - 1 ? pad : ""));
      }
      out.println(line);
    }
    out.flush();
  }

  private static void flatten(Table t, String prefix, JsonObject json) {
    for (Map.Entry<String, Object> e : json) {
      if (e.getValue() instanceof JsonObject nested) {
        flatten(t, prefix + e.getKey() + ".", nested);
      } else {
        t.row(prefix + e.getKey(), e.getValue());
      }
    }
  }
}
