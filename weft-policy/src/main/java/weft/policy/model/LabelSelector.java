package weft.policy.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Kubernetes label selector (matchLabels AND matchExpressions) over an identity's labels. Keys
 * are normalised by dropping Cilium's label source prefixes {@code k8s:} and {@code any:};
 * {@code reserved:} keys are kept because they name reserved identities.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Expression> expressions) {

  public enum Operator {
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  /** One matchExpressions entry. */
  public record Expression(String key, Operator operator, Set<String> values) {
    public Expression {
      key = normaliseKey(key);
      values = Set.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case IN -> v != null && values.contains(v);
        case NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }
  }

  /** Selects everything. */
  public static final LabelSelector ALL = new LabelSelector(Map.of(), List.of());

  public LabelSelector {
    TreeMap<String, String> m = new TreeMap<>();
    matchLabels.forEach((k, v) -> m.put(normaliseKey(k), v));
    matchLabels = java.util.Collections.unmodifiableMap(m);
    expressions = List.copyOf(expressions);
  }

  public static LabelSelector matchLabels(Map<String, String> labels) {
    return new LabelSelector(labels, List.of());
  }

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    for (Expression x : expressions) {
      if (!x.matches(labels)) return false;
    }
    return true;
  }

  public boolean isEmpty() {
    return matchLabels.isEmpty() && expressions.isEmpty();
  }

  /** Whether the selector constrains {@code key} (after normalisation). */
  public boolean mentions(String key) {
    String k = normaliseKey(key);
    return matchLabels.containsKey(k) || expressions.stream().anyMatch(x -> x.key().equals(k));
  }

  /** Whether the selector is meant for reserved identities (Cilium {@code reserved:} labels). */
  public boolean selectsReserved() {
    return matchLabels.keySet().stream().anyMatch(k -> k.startsWith("reserved:"))
        || expressions.stream().anyMatch(x -> x.key().startsWith("reserved:"));
  }

  /** This selector AND an extra {@code key=value}. */
  public LabelSelector and(String key, String value) {
    Map<String, String> m = new TreeMap<>(matchLabels);
    m.put(normaliseKey(key), value);
    return new LabelSelector(m, expressions);
  }

  /** This selector AND another. */
  public LabelSelector and(LabelSelector other) {
    Map<String, String> m = new TreeMap<>(matchLabels);
    List<Expression> xs = new java.util.ArrayList<>(expressions);
    for (Map.Entry<String, String> e : other.matchLabels.entrySet()) {
      String mine = m.putIfAbsent(e.getKey(), e.getValue());
      if (mine != null && !mine.equals(e.getValue())) {
        // contradictory equalities: keep both as expressions so the result selects nothing
        xs.add(new Expression(e.getKey(), Operator.IN, Set.of(e.getValue())));
      }
    }
    xs.addAll(other.expressions);
    return new LabelSelector(m, xs);
  }

  static String normaliseKey(String key) {
    if (key.startsWith("k8s:")) return key.substring(4);
    if (key.startsWith("any:")) return key.substring(4);
    return key;
  }

  @Override
  public String toString() {
    if (isEmpty()) return "{}";
    StringBuilder sb = new StringBuilder("{");
    matchLabels.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append('=').append(v));
    for (Expression x : expressions) {
      sb.append(sb.length() > 1 ? "," : "").append(x.key()).append(' ').append(x.operator()).append(' ').append(new java.util.TreeSet<>(x.values()));
    }
    return sb.append('}').toString();
  }
}
