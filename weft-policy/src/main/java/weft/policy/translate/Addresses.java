package weft.policy.translate;

import java.net.InetAddress;
import weft.policy.model.Cidr;
import weft.policy.model.IpAddress;

/** Converts weft-api's JDK addresses into the engine's two-long form. */
final class Addresses {
  private Addresses() {}

  static IpAddress ip(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      long v = 0;
      for (byte x : b) v = (v << 8) | (x & 0xff);
      return new IpAddress(false, 0, v);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xff);
    for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xff);
    return new IpAddress(true, hi, lo);
  }

  static Cidr cidr(weft.api.meta.Cidr c) {
    return new Cidr(ip(c.address()), c.prefixLength());
  }
}
