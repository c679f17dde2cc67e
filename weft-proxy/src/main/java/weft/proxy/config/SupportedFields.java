package weft.proxy.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.Map;
import java.util.Set;

/**
 * Refuses config fields that weft does not implement. Each translator calls {@link #check} for
 * every message it reads, listing the fields it honours; any other field that is set becomes a
 * problem naming its path, so nothing in a user's config is silently ignored.
 */
public final class SupportedFields {
  private SupportedFields() {}

  /**
   * Records a problem for each field set on {@code message} that is not in {@code supported}.
   * Field names are the proto (snake_case) names users write in YAML. Not recursive: nested
   * messages are checked by the translator that reads them.
   */
  public static void check(
      MessageOrBuilder message, ConfigPath path, ConfigProblems problems, String... supported) {
    Set<String> ok = Set.of(supported);
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (!ok.contains(f.getName())) {
        problems.unsupportedField(path.field(f.getName()));
      }
    }
    if (!message.getUnknownFields().asMap().isEmpty()) {
      problems.add(path, "unknown fields " + message.getUnknownFields().asMap().keySet());
    }
  }
}
