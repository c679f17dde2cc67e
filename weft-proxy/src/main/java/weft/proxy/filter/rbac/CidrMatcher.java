package weft.proxy.filter.rbac;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * An {@code envoy.config.core.v3.CidrRange}. As Envoy's CidrRange, an unset {@code prefix_len}
 * is 0 (the whole address family), an IPv4 range never matches an IPv6 address, and host bits
 * in the prefix are ignored.
 */
record CidrMatcher(byte[] network, int prefixLen, String text) {

  static CidrMatcher compile(CidrRange c, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(c, path, problems, "address_prefix", "prefix_len");
    byte[] addr = parseLiteral(c.getAddressPrefix());
    if (addr == null) {
      problems.add(path.field("address_prefix"), "\"" + c.getAddressPrefix() + "\" is not an IP address");
      return null;
    }
    int len = c.hasPrefixLen() ? c.getPrefixLen().getValue() : 0;
    if (len < 0 || len > addr.length * 8) {
      problems.add(path.field("prefix_len"), len + " is out of range (expected: 0 to " + addr.length * 8 + ")");
      return null;
    }
    return new CidrMatcher(addr, len, c.getAddressPrefix() + "/" + len);
  }

  /** Parses an IPv4 or IPv6 literal without DNS; null when it is not one. */
  static byte[] parseLiteral(String s) {
    if (s.isEmpty() || !(Character.digit(s.charAt(0), 16) >= 0 || s.charAt(0) == ':')) {
      return null; // a name: InetAddress would resolve it
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!(Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')) {
        return null;
      }
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  boolean matches(InetSocketAddress a) {
    if (a == null || a.getAddress() == null) {
      return false;
    }
    byte[] ip = a.getAddress().getAddress();
    if (ip.length != network.length) {
      return false;
    }
    int full = prefixLen / 8;
    for (int i = 0; i < full; i++) {
      if (ip[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLen % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (ip[full] & mask) == (network[full] & mask);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrMatcher c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
