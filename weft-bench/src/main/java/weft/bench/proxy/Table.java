package weft.bench.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's markdown table: a row per path, numeric columns, and for weft rows the ratio of the
 * chosen columns to the direct path's and to HAProxy's (when HAProxy ran).
 */
final class Table {
  static final String DIRECT = "direct";
  static final String HAPROXY = "haproxy (nbthread 1)";

  private final String title;
  private final List<String> columns;
  private final List<Integer> ratioColumns;
  private final Map<String, double[]> rows = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  Table(String title, List<String> columns, List<Integer> ratioColumns) {
    this.title = title;
    this.columns = List.copyOf(columns);
    this.ratioColumns = List.copyOf(ratioColumns);
  }

  String title() {
    return title;
  }

  void add(String path, double... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(title + ": " + values.length + " values for " + columns.size() + " columns");
    }
    rows.put(path, values.clone());
  }

  void note(String path, String note) {
    notes.put(path, note);
  }

  Map<String, double[]> rows() {
    return rows;
  }

  String markdown() {
    StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n| path |");
    List<String> header = new ArrayList<>(columns);
    for (int c : ratioColumns) {
      header.add(columns.get(c) + " weft/direct");
      if (rows.containsKey(HAPROXY)) {
        header.add(columns.get(c) + " weft/HAProxy");
      }
    }
    for (String h : header) {
      sb.append(' ').append(h).append(" |");
    }
    sb.append("\n|---|");
    sb.append("---:|".repeat(header.size()));
    sb.append('\n');
    for (var e : rows.entrySet()) {
      sb.append("| ").append(e.getKey()).append(notes.containsKey(e.getKey()) ? " (" + notes.get(e.getKey()) + ")" : "").append(" |");
      for (double v : e.getValue()) {
        sb.append(' ').append(format(v)).append(" |");
      }
      boolean weft = e.getKey().startsWith("weft");
      for (int c : ratioColumns) {
        sb.append(' ').append(weft ? ratio(e.getValue()[c], rows.get(DIRECT), c) : "").append(" |");
        if (rows.containsKey(HAPROXY)) {
          sb.append(' ').append(weft ? ratio(e.getValue()[c], rows.get(HAPROXY), c) : "").append(" |");
        }
      }
      sb.append('\n');
    }
    return sb.append('\n').toString();
  }

  private static String ratio(double v, double[] base, int c) {
    if (base == null || Double.isNaN(v) || Double.isNaN(base[c]) || base[c] == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2fx", v / base[c]);
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
  }
}
