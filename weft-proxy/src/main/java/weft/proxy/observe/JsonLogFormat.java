package weft.proxy.observe;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * {@code SubstitutionFormatString.json_format}: one JSON object per line, each string value a
 * format string. As in Envoy, a value that is exactly one numeric command ({@code %RESPONSE_CODE%},
 * {@code %DURATION%}, ...) prints as a JSON number, an absent value as {@code null} (or is left out
 * with {@code omit_empty_values}), and nested objects nest.
 */
final class JsonLogFormat {
  private sealed interface Node {}

  private record Leaf(AccessLogFormat format, boolean single) implements Node {}

  private record Constant(String json) implements Node {}

  private record Obj(List<String> keys, List<Node> values) implements Node {}

  private final Obj root;
  private final boolean omitEmpty;

  private JsonLogFormat(Obj root, boolean omitEmpty) {
    this.root = root;
    this.omitEmpty = omitEmpty;
  }

  static JsonLogFormat compile(
      Struct struct, boolean omitEmpty, ConfigPath path, ConfigProblems problems) {
    return new JsonLogFormat(object(struct, path, problems), omitEmpty);
  }

  private static Obj object(Struct struct, ConfigPath path, ConfigProblems problems) {
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
      ConfigPath p = path.key(e.getKey());
      Value v = e.getValue();
      Node node =
          switch (v.getKindCase()) {
            case STRING_VALUE -> {
              AccessLogFormat f = AccessLogFormat.compile(v.getStringValue(), p, problems);
              yield new Leaf(f, f.parts().size() == 1);
            }
            case STRUCT_VALUE -> object(v.getStructValue(), p, problems);
            case NUMBER_VALUE -> new Constant(number(v.getNumberValue()));
            case BOOL_VALUE -> new Constant(Boolean.toString(v.getBoolValue()));
            case NULL_VALUE -> new Constant("null");
            case LIST_VALUE, KIND_NOT_SET -> {
              problems.add(p, "json_format value of kind " + v.getKindCase() + " is not supported");
              yield null;
            }
          };
      if (node != null) {
        keys.add(e.getKey());
        values.add(node);
      }
    }
    return new Obj(List.copyOf(keys), List.copyOf(values));
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  void appendTo(AccessLogRecord r, StringBuilder sb) {
    appendObject(root, r, sb);
    sb.append('\n');
  }

  private void appendObject(Obj o, AccessLogRecord r, StringBuilder sb) {
    sb.append('{');
    boolean first = true;
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < o.keys().size(); i++) {
      Node n = o.values().get(i);
      int mark = sb.length();
      if (!first) {
        sb.append(',');
      }
      Json.string(sb, o.keys().get(i));
      sb.append(':');
      boolean present =
          switch (n) {
            case Constant c -> {
              sb.append(c.json());
              yield true;
            }
            case Obj child -> {
              appendObject(child, r, sb);
              yield true;
            }
            case Leaf leaf -> appendLeaf(leaf, r, sb, value);
          };
      if (!present && omitEmpty) {
        sb.setLength(mark);
      } else {
        first = false;
      }
    }
    sb.append('}');
  }

  private static boolean appendLeaf(
      Leaf leaf, AccessLogRecord r, StringBuilder sb, StringBuilder value) {
    if (leaf.single()) {
      AccessLogFormat.Part p = leaf.format().parts().get(0);
      value.setLength(0);
      if (!p.append(r, value)) {
        sb.append("null");
        return false;
      }
      if (p.numeric()) {
        sb.append(value);
      } else {
        Json.string(sb, value);
      }
      return true;
    }
    value.setLength(0);
    leaf.format().appendTo(r, value);
    Json.string(sb, value);
    return true;
  }
}
