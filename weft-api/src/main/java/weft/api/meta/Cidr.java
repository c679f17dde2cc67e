package weft.api.meta;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network. The address is always the network address (host bits cleared), so two
 * spellings of one network are equal.
 *
 * @param address the network address
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {
  public Cidr {
    Objects.requireNonNull(address, "address");
    int bits = address.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length: " + prefixLength + " (expected: 0.." + bits + ")");
    }
    address = mask(address, prefixLength);
  }

  /**
   * Parses {@code a.b.c.d/n} or {@code x::y/n}.
   *
   * @throws IllegalArgumentException with a user-facing message naming the value
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "invalid CIDR \"" + text + "\" (expected: address/prefix-length)");
    }
    InetAddress address = parseAddress(text.substring(0, slash), text);
    String prefix = text.substring(slash + 1);
    int bits = address.getAddress().length * 8;
    if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)
        || Integer.parseInt(prefix) > bits || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
      throw new IllegalArgumentException(
          "invalid CIDR \"" + text + "\": prefix length \"" + prefix + "\" (expected: 0.." + bits + ")");
    }
    return new Cidr(address, Integer.parseInt(prefix));
  }

  /** Parses a CIDR, or a bare address as a host network ({@code /32} or {@code /128}). */
  public static Cidr parseAddressOrCidr(String text) {
    if (text.indexOf('/') >= 0) {
      return parse(text);
    }
    InetAddress address = parseAddress(text, text);
    return new Cidr(address, address.getAddress().length * 8);
  }

  /**
   * Parses an IP address literal, never consulting DNS.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static InetAddress parseAddress(String text) {
    return parseAddress(text, text);
  }

  private static InetAddress parseAddress(String text, String whole) {
    String problem = "invalid IP address \"" + whole + "\"";
    if (text.indexOf(':') >= 0) {
      // Restricting the characters keeps InetAddress on its literal path: it never resolves a
      // string that contains ':' and only hex digits, dots and colons. Zone ids are refused.
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
          throw new IllegalArgumentException(problem);
        }
      }
      try {
        // IPv4-mapped IPv6 ("::ffff:1.2.3.4") comes back as IPv4, as Go's net.ParseIP treats it.
        return InetAddress.getByName(text);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(problem);
      }
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(problem);
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
          || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
        throw new IllegalArgumentException(problem);
      }
      bytes[i] = (byte) Integer.parseInt(p);
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a wrong array length
    }
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** True if {@code ip} is of the same family and inside this network. */
  public boolean contains(InetAddress ip) {
    byte[] a = address.getAddress();
    byte[] b = ip.getAddress();
    return a.length == b.length && samePrefix(a, b, prefixLength);
  }

  /** True if {@code other} is of the same family and inside (or equal to) this network. */
  public boolean contains(Cidr other) {
    return other.prefixLength >= prefixLength && contains(other.address);
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xff << (8 - rest)) & 0xff;
    return (a[full] & m) == (b[full] & m);
  }

  private static InetAddress mask(InetAddress address, int bits) {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      b[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public String toString() {
    return format(address) + "/" + prefixLength;
  }

  /** IPv4 dotted; IPv6 in RFC 5952 form (lower case, longest zero run as "::"). */
  public static String format(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return address.getHostAddress();
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // RFC 5952 4.2.2: a single zero group is not shortened
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
