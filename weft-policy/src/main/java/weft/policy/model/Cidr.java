package weft.policy.model;

import java.util.Optional;

/** An address block {@code base/prefix}; the base is stored masked. */
public record Cidr(IpAddress base, int prefix) {
  public Cidr {
    if (prefix < 0 || prefix > base.bits()) {
      throw new IllegalArgumentException(
          "prefix length: " + prefix + " (expected: 0.." + base.bits() + ")");
    }
    base = mask(base, prefix);
  }

  /** Parses {@code a.b.c.d/n}, {@code x::/n} or a bare address (a host route). */
  public static Optional<Cidr> parse(String s) {
    if (s == null) return Optional.empty();
    int slash = s.indexOf('/');
    Optional<IpAddress> ip = IpAddress.parse(slash < 0 ? s : s.substring(0, slash));
    if (ip.isEmpty()) return Optional.empty();
    int bits = ip.get().bits();
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) return Optional.empty();
    }
    return Optional.of(new Cidr(ip.get(), prefix));
  }

  public static Cidr of(String s) {
    return parse(s)
        .orElseThrow(
            () -> new IllegalArgumentException("invalid CIDR \"" + s + "\" (expected: address/prefix)"));
  }

  public boolean contains(IpAddress ip) {
    return ip.v6() == base.v6() && mask(ip, prefix).equals(base);
  }

  /** Whether every address of {@code other} is in this block. */
  public boolean contains(Cidr other) {
    return other.prefix >= prefix && contains(other.base);
  }

  private static IpAddress mask(IpAddress ip, int prefix) {
    if (!ip.v6()) {
      long m = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
      return new IpAddress(false, 0, ip.lo() & m);
    }
    long mh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    long ml = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    return new IpAddress(true, ip.hi() & mh, ip.lo() & ml);
  }

  @Override
  public String toString() {
    return base + "/" + prefix;
  }
}
