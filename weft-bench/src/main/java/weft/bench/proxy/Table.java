package weft.bench.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's markdown table: a row per path, numeric columns, and for weft rows the ratio of
 * chosen columns to the baselines that ran: the direct path, HAProxy and nginx. Some columns (the
 * proxies' CPU and memory) have no direct figure and are compared with the peers only.
 */
final class Table {
  static final String DIRECT = "direct";
  static final String HAPROXY = "haproxy (nbthread 1)";
  static final String NGINX = "nginx (1 worker)";

  private record Baseline(String row, String label, boolean direct) {}

  private record Ratio(int column, Baseline baseline) {}

  private static final List<Baseline> BASELINES = List.of(
      new Baseline(DIRECT, "direct", true), new Baseline(HAPROXY, "HAProxy", false), new Baseline(NGINX, "nginx", false));

  private final String title;
  private final List<String> columns;
  private final List<Integer> ratioColumns;
  private final List<Integer> peerRatioColumns;
  private final Map<String, double[]> rows = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  /** {@code ratioColumns} are compared with every baseline, {@code peerRatioColumns} with the peers only. */
  Table(String title, List<String> columns, List<Integer> ratioColumns, List<Integer> peerRatioColumns) {
    this.title = title;
    this.columns = List.copyOf(columns);
    this.ratioColumns = List.copyOf(ratioColumns);
    this.peerRatioColumns = List.copyOf(peerRatioColumns);
  }

  Table(String title, List<String> columns, List<Integer> ratioColumns) {
    this(title, columns, ratioColumns, List.of());
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

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The ratio columns this table prints, given the baselines present: (column, baseline) pairs. */
  private List<Ratio> ratios() {
    List<Ratio> out = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      for (Baseline b : BASELINES) {
        boolean wanted = ratioColumns.contains(c) || (!b.direct() && peerRatioColumns.contains(c));
        if (wanted && rows.containsKey(b.row())) {
          out.add(new Ratio(c, b));
        }
      }
    }
    return out;
  }

  String markdown() {
    List<Ratio> ratios = ratios();
    StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n| path |");
    List<String> header = new ArrayList<>(columns);
    for (Ratio r : ratios) {
      header.add(columns.get(r.column()) + " weft/" + r.baseline().label());
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
      for (Ratio r : ratios) {
        int c = r.column();
        sb.append(' ').append(weft ? ratio(e.getValue()[c], rows.get(r.baseline().row()), c) : "").append(" |");
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
