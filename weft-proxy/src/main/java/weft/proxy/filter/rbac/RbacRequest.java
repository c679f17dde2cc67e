package weft.proxy.filter.rbac;

import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.matcher.HeaderSource;

/**
 * What RBAC rules read from a request or connection. Implemented by the HTTP connection manager
 * (per request) and by the network RBAC filter (per connection, where {@link #header} returns null
 * and {@link #path} is null). Identity comes only from the verified peer certificate.
 */
public interface RbacRequest extends HeaderSource {
  /** The raw {@code :path} (with query), or null on a network (L4) check. */
  String path();

  /** The downstream remote address after XFF handling ({@code remote_ip}). */
  InetSocketAddress remoteAddress();

  /** The peer of the downstream connection ({@code direct_remote_ip}). */
  InetSocketAddress directRemoteAddress();

  /**
   * The connection's remote address as the listener sees it (deprecated {@code source_ip}):
   * the direct peer unless a listener filter such as proxy protocol restored another.
   */
  default InetSocketAddress sourceAddress() {
    return directRemoteAddress();
  }

  /** The local (destination) address of the downstream connection. */
  InetSocketAddress localAddress();

  /** Whether the downstream connection is TLS (Envoy: {@code connection.ssl() != null}). */
  boolean tls();

  /** URI SANs of the verified peer certificate; empty without one. */
  List<String> peerUriSans();

  /** DNS SANs of the verified peer certificate; empty without one. */
  List<String> peerDnsSans();

  /** The verified peer certificate's subject (RFC 2253), or "" without one. */
  String peerSubject();

  /** The SNI the client sent, or "" when none. */
  String requestedServerName();
}
