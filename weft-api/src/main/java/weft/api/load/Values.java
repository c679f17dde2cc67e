package weft.api.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** Typed reads of single JSON/YAML values, reporting type problems at a path. */
final class Values {
  private Values() {}

  static Optional<String> string(JsonNode v, FieldPath path, Problems problems) {
    if (!v.isTextual()) {
      // YAML 1.1 (as Jackson and Kubernetes' go-yaml read it) turns unquoted yes/no/on/off and
      // numbers into non-strings; say so, since the user wrote what looks like a string.
      String hint =
          v.isBoolean()
              ? " (quote it: YAML reads unquoted yes, no, on, off, true and false as booleans)"
              : v.isNumber() ? " (quote it: YAML reads unquoted numbers as numbers)" : "";
      problems.add(path, "expected a string, got " + describe(v) + hint);
      return Optional.empty();
    }
    return Optional.of(v.textValue());
  }

  static Optional<Boolean> bool(JsonNode v, FieldPath path, Problems problems) {
    if (!v.isBoolean()) {
      problems.add(path, "expected true or false, got " + describe(v));
      return Optional.empty();
    }
    return Optional.of(v.booleanValue());
  }

  static Optional<Integer> integer(JsonNode v, int min, int max, FieldPath path, Problems problems) {
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      problems.add(path, "expected an integer " + min + ".." + max + ", got " + describe(v));
      return Optional.empty();
    }
    return Optional.of(v.intValue());
  }

  static <T> List<T> list(
      JsonNode v,
      FieldPath path,
      Problems problems,
      BiFunction<JsonNode, FieldPath, Optional<T>> element) {
    if (!v.isArray()) {
      problems.add(path, "expected a list, got " + describe(v));
      return List.of();
    }
    List<T> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      FieldPath p = path.index(i);
      if (e.isNull()) {
        problems.add(p, "expected a value, got null");
        continue;
      }
      element.apply(e, p).ifPresent(out::add);
    }
    return out;
  }

  /** A value as users wrote it: scalars as JSON, containers by type. */
  static String describe(JsonNode v) {
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isTextual()) {
      return quote(v.textValue());
    }
    return v.toString();
  }

  /** {@code "value"}, with quotes and backslashes escaped, shortened past 80 characters. */
  static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
