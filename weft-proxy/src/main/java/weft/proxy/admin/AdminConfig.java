package weft.proxy.admin;

import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import java.net.InetSocketAddress;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * The bootstrap's {@code admin} block: where the admin listener binds. Only {@code
 * address.socket_address} (TCP, numeric address, port_value) is honoured; admin access logs and
 * socket options are refused by name.
 *
 * @param address null when the bootstrap has no admin address (no admin listener, as in Envoy)
 */
public record AdminConfig(InetSocketAddress address) {
  public static AdminConfig compile(Admin admin, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(admin, path, problems, "address");
    if (!admin.hasAddress()) {
      return new AdminConfig(null);
    }
    ConfigPath ap = path.field("address");
    Address address = admin.getAddress();
    SupportedFields.check(address, ap, problems, "socket_address");
    if (!address.hasSocketAddress()) {
      problems.add(ap, "admin address must be a socket_address");
      return new AdminConfig(null);
    }
    ConfigPath sp = ap.field("socket_address");
    SocketAddress sa = address.getSocketAddress();
    SupportedFields.check(sa, sp, problems, "address", "port_value", "protocol");
    if (sa.getProtocol() != SocketAddress.Protocol.TCP) {
      problems.unsupported(sp.field("protocol"), sa.getProtocol());
    }
    String host = sa.getAddress();
    if (!isNumeric(host)) {
      problems.add(sp.field("address"), "admin address " + host + " is not an IP literal");
      return new AdminConfig(null);
    }
    int port = sa.getPortValue();
    if (port > 65535) {
      problems.add(
          sp.field("port_value"), "port " + port + " is out of range (expected: <= 65535)");
      return new AdminConfig(null);
    }
    return new AdminConfig(new InetSocketAddress(host, port));
  }

  /** Envoy takes only IP literals here; checking keeps InetSocketAddress from a DNS lookup. */
  private static boolean isNumeric(String host) {
    if (host.isEmpty()) {
      return false;
    }
    if (host.indexOf(':') >= 0) {
      return true;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }
}
