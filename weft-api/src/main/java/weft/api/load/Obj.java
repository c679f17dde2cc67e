package weft.api.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A path-tracking reader over one JSON/YAML object. Every field a decoder asks for (present or not)
 * is remembered, so {@link #finish()} can report each remaining field as unknown, naming its path
 * and the fields that are known. A {@code null} value counts as absent, as in Kubernetes.
 *
 * <p>Type errors are reported at the field's path and the accessor returns empty, so decoding
 * continues and collects every problem of the document.
 */
final class Obj {
  private final JsonNode node;
  private final FieldPath path;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();
  private final Set<String> unsupported = new LinkedHashSet<>();
  private final Set<String> ignored = new LinkedHashSet<>();

  private Obj(JsonNode node, FieldPath path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** Reads {@code node} as an object, or reports a type problem and returns empty. */
  static Optional<Obj> of(JsonNode node, FieldPath path, Problems problems) {
    if (!node.isObject()) {
      problems.add(path, "expected an object, got " + Values.describe(node));
      return Optional.empty();
    }
    return Optional.of(new Obj(node, path, problems));
  }

  FieldPath path() {
    return path;
  }

  Problems problems() {
    return problems;
  }

  FieldPath at(String field) {
    return path.field(field);
  }

  /** The raw value of a field, if present and not null. Marks the field known. */
  Optional<JsonNode> raw(String field) {
    known.add(field);
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  Optional<String> string(String field) {
    return raw(field).flatMap(v -> Values.string(v, at(field), problems));
  }

  /** A string that must be present; reports "required" and returns empty when it is not. */
  Optional<String> requiredString(String field) {
    if (!has(field)) {
      known.add(field);
      problems.add(at(field), "required");
      return Optional.empty();
    }
    return string(field);
  }

  Optional<Boolean> bool(String field) {
    return raw(field).flatMap(v -> Values.bool(v, at(field), problems));
  }

  /** An integer in {@code min..max}. */
  Optional<Integer> integer(String field, int min, int max) {
    return raw(field).flatMap(v -> Values.integer(v, min, max, at(field), problems));
  }

  Optional<Obj> object(String field) {
    return raw(field).flatMap(v -> of(v, at(field), problems));
  }

  /** Each element decoded by {@code element}; elements it returns empty for are dropped. */
  <T> List<T> list(String field, BiFunction<JsonNode, FieldPath, Optional<T>> element) {
    Optional<JsonNode> v = raw(field);
    if (v.isEmpty()) {
      return List.of();
    }
    return Values.list(v.get(), at(field), problems, element);
  }

  /** A list whose elements are objects. */
  <T> List<T> objects(String field, Function<Obj, Optional<T>> element) {
    return list(field, (n, p) -> of(n, p, problems).flatMap(element));
  }

  List<String> strings(String field) {
    return list(field, (n, p) -> Values.string(n, p, problems));
  }

  /** A string-to-string map (labels, annotations, matchLabels), in document order. */
  Map<String, String> stringMap(String field) {
    Map<String, String> out = new LinkedHashMap<>();
    object(field)
        .ifPresent(
            o -> {
              for (Map.Entry<String, JsonNode> e : o.node.properties()) {
                o.known.add(e.getKey());
                if (e.getValue().isNull()) {
                  problems.add(o.path.key(e.getKey()), "expected a string, got null");
                  continue;
                }
                Values.string(e.getValue(), o.path.key(e.getKey()), problems)
                    .ifPresent(s -> out.put(e.getKey(), s));
              }
            });
    return out;
  }

  /** Field names of this object, in document order (for maps keyed by user data). */
  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Accepts fields that carry nothing weft uses (server-populated metadata, status). */
  void ignore(String... fields) {
    ignored.addAll(List.of(fields));
  }

  /** Declares fields of the upstream API that weft does not implement: present = an error. */
  void unsupported(String... fields) {
    unsupported.addAll(List.of(fields));
  }

  /** Reports unsupported and unknown fields; call once, after reading every known field. */
  void finish() {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String name = it.next();
      if (unsupported.contains(name)) {
        problems.add(at(name), "field is not supported by weft");
      } else if (!known.contains(name) && !ignored.contains(name)) {
        problems.add(at(name), unknownField(name));
      }
    }
  }

  private String unknownField(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = k.equalsIgnoreCase(name) ? 0 : distance(k, name);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    if (best != null && bestDistance <= Math.min(2, name.length() / 2)) {
      return "unknown field (did you mean " + best + "?)";
    }
    return "unknown field (expected one of: " + String.join(", ", known) + ")";
  }

  /** Levenshtein distance, for "did you mean" hints on misspelt fields. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
