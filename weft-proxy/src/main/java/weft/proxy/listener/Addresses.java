package weft.proxy.listener;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/** Translates an Envoy {@code Address} into a bindable TCP socket address. */
public final class Addresses {
  private Addresses() {}

  /** A TCP socket address (IP literal and port_value); null after recording a problem. */
  public static InetSocketAddress socket(Address a, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(a, path, problems, "socket_address");
    if (!a.hasSocketAddress()) {
      problems.add(path, "a socket_address is required (pipes and internal addresses are not supported)");
      return null;
    }
    SocketAddress s = a.getSocketAddress();
    ConfigPath sp = path.field("socket_address");
    SupportedFields.check(s, sp, problems, "address", "port_value", "protocol", "ipv4_compat");
    if (s.getProtocol() != SocketAddress.Protocol.TCP) {
      problems.unsupported(sp.field("protocol"), s.getProtocol());
    }
    if (s.getPortValue() > 65535) {
      problems.add(sp.field("port_value"), s.getPortValue() + " (expected: 0..65535)");
      return null;
    }
    byte[] ip = io.netty.util.NetUtil.createByteArrayFromIpAddressString(s.getAddress());
    if (ip == null) {
      problems.add(sp.field("address"), "\"" + s.getAddress() + "\" is not an IP address");
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), s.getPortValue());
    } catch (UnknownHostException e) {
      problems.add(sp.field("address"), "\"" + s.getAddress() + "\" is not an IP address");
      return null;
    }
  }
}
