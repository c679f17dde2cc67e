package weft.controlplane.translate;

import java.util.Locale;
import java.util.Optional;

/**
 * What a port speaks, from its {@code appProtocol} or Istio's port-name prefix convention
 * ({@code http-web}, {@code tcp-db}, {@code tls-kafka}); ports that declare neither are HTTP (weft
 * does not sniff).
 */
final class Protocols {
  private Protocols() {}

  /** How the proxy handles a port's bytes. */
  enum Kind {
    /** HCM: routed by Host on the outbound port, HTTP RBAC inbound. */
    HTTP,
    /** Opaque bytes: tcp_proxy; a client reaches the service only by the port it dials. */
    TCP,
    /** The application's own TLS, opaque to the proxy except its ClientHello (SNI). */
    TLS
  }

  static boolean isHttp(Optional<String> appProtocol, Optional<String> name) {
    return kind(appProtocol, name) == Kind.HTTP;
  }

  static Kind kind(Optional<String> appProtocol, Optional<String> name) {
    String p = appProtocol.or(() -> name).orElse("http").toLowerCase(Locale.ROOT);
    int dash = p.indexOf('-');
    String prefix = dash < 0 ? p : p.substring(0, dash);
    return switch (prefix) {
      case "tls", "https" -> Kind.TLS;
      case "tcp", "mongo", "mysql", "redis", "kafka", "zookeeper" -> Kind.TCP;
      default -> Kind.HTTP;
    };
  }
}
