package weft.proxy.server;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.bootstrap.v3.LayeredRuntime;
import io.envoyproxy.envoy.config.bootstrap.v3.RuntimeLayer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * The static layers of {@code layered_runtime}, flattened (later layers override earlier ones).
 * weft honours the connection limits; other keys are logged and ignored, as Envoy ignores
 * runtime keys nothing reads.
 */
public record RuntimeLayers(Map<String, Value> values) {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeLayers.class);
  static final String GLOBAL_MAX = "overload.global_downstream_max_connections";
  static final String LISTENER_LIMIT_PREFIX = "envoy.resource_limits.listener.";
  static final String LISTENER_LIMIT_SUFFIX = ".connection_limit";

  public static RuntimeLayers compile(LayeredRuntime rt, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(rt, path, problems, "layers");
    Map<String, Value> values = new HashMap<>();
    for (int i = 0; i < rt.getLayersCount(); i++) {
      RuntimeLayer layer = rt.getLayers(i);
      ConfigPath p = path.field("layers").index(i);
      SupportedFields.check(layer, p, problems, "name", "static_layer");
      switch (layer.getLayerSpecifierCase()) {
        case STATIC_LAYER -> flatten("", layer.getStaticLayer(), values);
        case DISK_LAYER -> problems.unsupported(p.field("disk_layer"), "disk_layer");
        case ADMIN_LAYER -> problems.unsupported(p.field("admin_layer"), "admin_layer");
        case RTDS_LAYER -> problems.unsupported(p.field("rtds_layer"), "rtds_layer");
        case LAYERSPECIFIER_NOT_SET -> problems.add(p, "a static_layer is required");
      }
    }
    for (String k : values.keySet()) {
      if (!k.equals(GLOBAL_MAX)
          && !(k.startsWith(LISTENER_LIMIT_PREFIX) && k.endsWith(LISTENER_LIMIT_SUFFIX))) {
        LOG.info("runtime key {} is not used by weft; ignored", k);
      }
    }
    return new RuntimeLayers(Map.copyOf(values));
  }

  /** Static layers nest: {@code {a: {b: 1}}} is key {@code a.b}. */
  private static void flatten(String prefix, Struct s, Map<String, Value> out) {
    for (Map.Entry<String, Value> e : s.getFieldsMap().entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().hasStructValue()) {
        flatten(key, e.getValue().getStructValue(), out);
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  /** {@code overload.global_downstream_max_connections}, or -1. */
  public long globalMaxConnections() {
    return number(GLOBAL_MAX);
  }

  /** {@code envoy.resource_limits.listener.<name>.connection_limit}, or -1. */
  public long listenerConnectionLimit(String listenerName) {
    return listenerName.isEmpty() ? -1
        : number(LISTENER_LIMIT_PREFIX + listenerName + LISTENER_LIMIT_SUFFIX);
  }

  private long number(String key) {
    Value v = values.get(key);
    if (v == null) {
      return -1;
    }
    return switch (v.getKindCase()) {
      case NUMBER_VALUE -> (long) v.getNumberValue();
      case STRING_VALUE -> {
        try {
          yield Long.parseLong(v.getStringValue().trim());
        } catch (NumberFormatException e) {
          yield -1;
        }
      }
      default -> -1;
    };
  }

  public static RuntimeLayers empty() {
    return new RuntimeLayers(Map.of());
  }
}
