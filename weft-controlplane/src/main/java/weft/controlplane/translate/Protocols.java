package weft.controlplane.translate;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a port speaks HTTP, from its {@code appProtocol} or Istio's port-name prefix convention
 * ({@code http-web}, {@code tcp-db}); ports that declare neither are HTTP (weft does not sniff).
 */
final class Protocols {
  private Protocols() {}

  static boolean isHttp(Optional<String> appProtocol, Optional<String> name) {
    String p = appProtocol.or(() -> name).orElse("http").toLowerCase(Locale.ROOT);
    int dash = p.indexOf('-');
    String prefix = dash < 0 ? p : p.substring(0, dash);
    return switch (prefix) {
      case "tcp", "tls", "mongo", "mysql", "redis", "kafka", "zookeeper", "https" -> false;
      default -> true;
    };
  }
}
