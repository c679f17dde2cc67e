package weft.proxy.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** Test configs written as Envoy YAML, parsed with the proto JSON mapping. */
final class Yaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(
      JsonFormat.TypeRegistry.newBuilder().add(PreviousHostsPredicate.getDescriptor()).build());

  private Yaml() {}

  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(String yaml, Message.Builder builder) {
    try {
      String json = JSON.writeValueAsString(YAML.readTree(yaml));
      PARSER.merge(json, builder);
      return (T) builder.build();
    } catch (Exception e) {
      throw new IllegalArgumentException("bad test yaml: " + e.getMessage() + "\n" + yaml, e);
    }
  }

  static RouteConfiguration routeConfig(String yaml) {
    return parse(yaml, RouteConfiguration.newBuilder());
  }

  /** Compiles a route configuration that must be valid. */
  static RouteTable table(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    RouteTable t = RouteTable.compile(routeConfig(yaml), ConfigPath.of("route_config"), problems);
    if (!problems.isEmpty()) {
      throw new AssertionError("unexpected problems: " + problems.list());
    }
    return t;
  }

  /** The problems a route configuration produces, rendered as "path: message". */
  static java.util.List<String> problems(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    RouteTable.compile(routeConfig(yaml), ConfigPath.of("route_config"), problems);
    return problems.list().stream().map(Object::toString).toList();
  }

  /** A route configuration with one '*' virtual host holding {@code routesYaml} (indented list). */
  static RouteTable routes(String routesYaml) {
    return table("virtual_hosts:\n- name: vh\n  domains: ['*']\n  routes:\n" + indent(routesYaml, "  "));
  }

  static String indent(String s, String by) {
    return s.lines().map(l -> by + l).reduce("", (a, b) -> a + b + "\n");
  }
}
