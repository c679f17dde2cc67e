package weft.proxy.listener;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * One CIDR criterion of {@link FilterChainMatcher} ({@code prefix_ranges},
 * {@code direct_source_prefix_ranges}, {@code source_prefix_ranges}): the longest prefix that
 * contains the address and still has candidates wins, then chains without the criterion.
 */
final class CidrLevel {
  /** One distinct network, with the chains that list it. */
  private record Net(byte[] prefix, int length, long[] chains) {
    boolean contains(byte[] ip) {
      if (ip.length != prefix.length) {
        return false;
      }
      int full = length >>> 3;
      for (int i = 0; i < full; i++) {
        if (ip[i] != prefix[i]) {
          return false;
        }
      }
      int rest = length & 7;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (ip[full] & mask) == (prefix[full] & mask);
    }
  }

  private final List<Net> nets = new ArrayList<>(); // longest prefix first
  private final long[] wildcard;

  CidrLevel(int chains) {
    this.wildcard = ChainSet.empty(chains);
  }

  /**
   * Adds chain {@code chain}'s ranges (none: it is a wildcard at this level) and returns their
   * normalised text for duplicate detection.
   */
  Set<String> add(int chain, List<CidrRange> ranges, ConfigPath path, ConfigProblems problems, int chains) {
    Set<String> keys = new TreeSet<>();
    if (ranges.isEmpty()) {
      ChainSet.add(wildcard, chain);
      return keys;
    }
    for (int i = 0; i < ranges.size(); i++) {
      CidrRange r = ranges.get(i);
      ConfigPath p = path.index(i);
      SupportedFields.check(r, p, problems, "address_prefix", "prefix_len");
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(r.getAddressPrefix());
      if (ip == null) {
        problems.add(p.field("address_prefix"), "\"" + r.getAddressPrefix() + "\" is not an IP address");
        continue;
      }
      int len = r.hasPrefixLen() ? r.getPrefixLen().getValue() : 0;
      if (len > ip.length * 8) {
        problems.add(p.field("prefix_len"), len + " is too long (expected: <= " + ip.length * 8 + ")");
        continue;
      }
      byte[] masked = mask(ip, len);
      keys.add(NetUtil.bytesToIpAddress(masked) + "/" + len);
      Net net = nets.stream().filter(n -> n.length() == len && Arrays.equals(n.prefix(), masked)).findFirst()
          .orElseGet(() -> {
            Net n = new Net(masked, len, ChainSet.empty(chains));
            nets.add(n);
            nets.sort(Comparator.comparingInt(Net::length).reversed());
            return n;
          });
      ChainSet.add(net.chains(), chain);
    }
    return keys;
  }

  private static byte[] mask(byte[] ip, int len) {
    byte[] out = ip.clone();
    for (int bit = len; bit < out.length * 8; bit++) {
      out[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
    }
    return out;
  }

  /** Narrows {@code candidates} for {@code ip} (null: unknown, only wildcards match). */
  boolean narrow(long[] candidates, byte[] ip) {
    if (ip != null) {
      for (Net n : nets) {
        if (n.contains(ip) && ChainSet.narrow(candidates, n.chains())) {
          return true;
        }
      }
    }
    return ChainSet.narrow(candidates, wildcard);
  }
}
