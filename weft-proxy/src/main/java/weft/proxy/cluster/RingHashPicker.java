package weft.proxy.cluster;

import java.util.Arrays;
import java.util.List;

/**
 * RING_HASH as Envoy builds it (ketama): each host gets {@code scale * normalized_weight} points
 * hashed with XXH64 of {@code "<ip:port>_<i>"}, where scale makes the lightest host get a whole
 * number of points and the ring at least {@code minimum_ring_size} (capped at {@code
 * maximum_ring_size}). A request goes to the first point at or after its hash, wrapping around, so a
 * host leaving only moves the keys that were on its own points.
 */
final class RingHashPicker implements HostPicker {
  private final long[] hashes;
  private final Host[] owners;

  RingHashPicker(List<Host> hosts, long minRingSize, long maxRingSize) {
    if (hosts.isEmpty()) {
      hashes = new long[0];
      owners = new Host[0];
      return;
    }
    double totalWeight = hosts.stream().mapToLong(Host::weight).sum();
    double minNormalized = 1.0;
    for (Host h : hosts) {
      minNormalized = Math.min(minNormalized, h.weight() / totalWeight);
    }
    double scale =
        Math.min(Math.ceil(minNormalized * minRingSize) / minNormalized, (double) maxRingSize);
    int ringSize = (int) Math.ceil(scale);
    long[] hs = new long[ringSize + hosts.size()];
    Host[] os = new Host[hs.length];
    int n = 0;
    double current = 0;
    double target = 0;
    for (Host h : hosts) {
      target += scale * (h.weight() / totalWeight);
      String prefix = h.addressString() + "_";
      for (long i = 0; current < target && n < hs.length; i++, current++) {
        hs[n] = XxHash64.hash(prefix + i, 0);
        os[n] = h;
        n++;
      }
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Long.compareUnsigned(hs[a], hs[b]));
    hashes = new long[n];
    owners = new Host[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = hs[idx[i]];
      owners[i] = os[idx[i]];
    }
  }

  int size() {
    return hashes.length;
  }

  @Override
  public Host pick(long hash, int attempt) {
    int n = hashes.length;
    if (n == 0) {
      return null;
    }
    // first point with hash >= request hash (unsigned), wrapping to 0
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(hashes[mid], hash) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    // a retry that must avoid the previous host walks on along the ring, as Envoy does
    return owners[(int) ((lo + (long) attempt) % n)];
  }
}
