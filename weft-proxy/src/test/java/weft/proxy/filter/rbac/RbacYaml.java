package weft.proxy.filter.rbac;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.rbac.v3.Action;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.matching.common_inputs.network.v3.DestinationPortInput;
import io.envoyproxy.envoy.extensions.matching.common_inputs.ssl.v3.UriSanInput;
import io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** RBAC test configs written as Envoy YAML. */
final class RbacYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(
      JsonFormat.TypeRegistry.newBuilder()
          .add(Action.getDescriptor())
          .add(HttpRequestHeaderMatchInput.getDescriptor())
          .add(DestinationPortInput.getDescriptor())
          .add(UriSanInput.getDescriptor())
          .build());

  private RbacYaml() {}

  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(String yaml, Message.Builder b) {
    try {
      PARSER.merge(JSON.writeValueAsString(YAML.readTree(yaml)), b);
      return (T) b.build();
    } catch (Exception e) {
      throw new IllegalArgumentException("bad test yaml: " + e.getMessage() + "\n" + yaml, e);
    }
  }

  static RbacEngine rules(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    RbacEngine e = RbacEngine.compile(parse(yaml, RBAC.newBuilder()), ConfigPath.of("rules"), problems);
    if (!problems.isEmpty()) {
      throw new AssertionError("unexpected problems: " + problems.list());
    }
    return e;
  }

  static List<String> rulesProblems(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    RbacEngine.compile(parse(yaml, RBAC.newBuilder()), ConfigPath.of("rules"), problems);
    return problems.list().stream().map(Object::toString).toList();
  }
}
