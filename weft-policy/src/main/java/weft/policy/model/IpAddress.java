package weft.policy.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as two longs, so CIDR checks on the hot path are a mask and a compare.
 * IPv4 addresses live in the low 32 bits of {@code lo}.
 */
public record IpAddress(boolean v6, long hi, long lo) {

  /** Parses a literal address; never resolves names. */
  public static Optional<IpAddress> parse(String s) {
    if (s == null || s.isEmpty()) return Optional.empty();
    if (s.indexOf(':') < 0) return parseV4(s);
    try {
      // a string containing ':' is only ever parsed as an IPv6 literal, never looked up
      InetAddress a = InetAddress.getByName(s.startsWith("[") ? s : s);
      if (!(a instanceof Inet6Address)) return Optional.empty();
      byte[] b = a.getAddress();
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xff);
      for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xff);
      return Optional.of(new IpAddress(true, hi, lo));
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static Optional<IpAddress> parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return Optional.empty();
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) return Optional.empty();
      v = (v << 8) | octet;
    }
    return Optional.of(new IpAddress(false, 0, v));
  }

  /** Parses or throws {@link IllegalArgumentException} naming the value. */
  public static IpAddress of(String s) {
    return parse(s)
        .orElseThrow(() -> new IllegalArgumentException("invalid IP address \"" + s + "\""));
  }

  public int bits() {
    return v6 ? 128 : 32;
  }

  @Override
  public String toString() {
    if (!v6) {
      return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) b[i] = (byte) (hi >>> (56 - 8 * i));
    for (int i = 0; i < 8; i++) b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
