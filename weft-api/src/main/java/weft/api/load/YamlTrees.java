package weft.api.load;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a JSON tree from one YAML document, resolving anchors and aliases of lists and maps
 * ({@code &sel} ... {@code *sel}) as Kubernetes' YAML reader does (aliases of plain values are
 * refused: Jackson does not report their anchors). Jackson's own tree reader turns an alias into the
 * anchor's name, which would silently change a document. An aliased subtree is shared, not copied,
 * and the total size of expanded aliases is bounded, so a "billion laughs" document is refused
 * instead of expanded. Not thread-safe: one per document.
 */
final class YamlTrees {
  /** Upper bound on nodes reachable through aliases in one document. */
  static final int MAX_ALIASED_NODES = 100_000;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final YAMLParser parser;
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private final Map<String, Integer> sizes = new HashMap<>();
  private long aliased;

  private YamlTrees(YAMLParser parser) {
    this.parser = parser;
  }

  /** Reads the value at the parser's current token (which must be set). */
  static JsonNode read(YAMLParser parser) throws IOException {
    return new YamlTrees(parser).value();
  }

  private JsonNode value() throws IOException {
    JsonToken token = parser.currentToken();
    if (parser.isCurrentAlias()) {
      String name = parser.getText();
      JsonNode target = anchors.get(name);
      if (target == null) {
        // Jackson reports anchors of lists and maps, not of plain values.
        throw new JsonParseException(
            parser,
            "alias *" + name + ": weft resolves aliases of lists and maps only (no anchor &" + name
                + " on a list or map before it)");
      }
      aliased += sizes.get(name);
      if (aliased > MAX_ALIASED_NODES) {
        throw new JsonParseException(
            parser, "aliases expand to more than " + MAX_ALIASED_NODES + " nodes");
      }
      return target;
    }
    String anchor = parser.getObjectId() instanceof String s ? s : null;
    JsonNode node =
        switch (token) {
          case START_OBJECT -> object();
          case START_ARRAY -> array();
          case VALUE_STRING -> F.textNode(parser.getText());
          case VALUE_NUMBER_INT ->
              switch (parser.getNumberType()) {
                case INT -> F.numberNode(parser.getIntValue());
                case LONG -> F.numberNode(parser.getLongValue());
                default -> F.numberNode(parser.getBigIntegerValue());
              };
          case VALUE_NUMBER_FLOAT -> F.numberNode(parser.getDoubleValue());
          case VALUE_TRUE -> F.booleanNode(true);
          case VALUE_FALSE -> F.booleanNode(false);
          case VALUE_NULL -> F.nullNode();
          default -> F.textNode(parser.getText()); // e.g. !!binary: kept as written
        };
    if (anchor != null) {
      anchors.put(anchor, node);
      sizes.put(anchor, size(node));
    }
    return node;
  }

  private ObjectNode object() throws IOException {
    ObjectNode o = F.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      o.set(name, value());
    }
    return o;
  }

  private ArrayNode array() throws IOException {
    ArrayNode a = F.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      a.add(value());
    }
    return a;
  }

  private int size(JsonNode node) {
    int n = 1;
    for (JsonNode child : node) {
      n += size(child);
      if (n > MAX_ALIASED_NODES) {
        return n; // large enough to refuse any alias to it; stop counting
      }
    }
    return n;
  }
}
