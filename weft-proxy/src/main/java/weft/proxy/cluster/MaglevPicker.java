package weft.proxy.cluster;

import java.util.List;

/**
 * MAGLEV as Envoy builds it: each host has an offset ({@code xxh64(key, 0) % M}) and a skip ({@code
 * xxh64(key, 1) % (M - 1) + 1}) defining its permutation of the table; hosts take turns filling
 * their next free preferred slot, a host of weight w taking a turn every max_weight/w rounds. A
 * request goes to {@code table[hash % M]}.
 */
final class MaglevPicker implements HostPicker {
  private final Host[] table;

  MaglevPicker(List<Host> hosts, int tableSize) {
    this.table = new Host[hosts.isEmpty() ? 0 : tableSize];
    if (hosts.isEmpty()) {
      return;
    }
    int n = hosts.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] weight = new double[n];
    double[] target = new double[n];
    double total = hosts.stream().mapToLong(Host::weight).sum();
    double max = 0;
    for (int i = 0; i < n; i++) {
      String key = hosts.get(i).addressString();
      offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), tableSize);
      skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), tableSize - 1) + 1;
      weight[i] = hosts.get(i).weight() / total;
      max = Math.max(max, weight[i]);
    }
    int filled = 0;
    for (long iteration = 1; filled < tableSize; iteration++) {
      for (int i = 0; i < n && filled < tableSize; i++) {
        if (iteration * weight[i] < target[i]) {
          continue;
        }
        target[i] += max;
        long c = (offset[i] + skip[i] * next[i]) % tableSize;
        while (table[(int) c] != null) {
          next[i]++;
          c = (offset[i] + skip[i] * next[i]) % tableSize;
        }
        table[(int) c] = hosts.get(i);
        next[i]++;
        filled++;
      }
    }
  }

  @Override
  public Host pick(long hash, int attempt) {
    if (table.length == 0) {
      return null;
    }
    long h = attempt == 0 ? hash : mix(hash, attempt);
    return table[(int) Long.remainderUnsigned(h, table.length)];
  }

  /** A different, deterministic slot for each retry attempt of the same request. */
  private static long mix(long hash, int attempt) {
    long x = hash ^ (attempt * 0x9E3779B97F4A7C15L);
    x ^= x >>> 33;
    x *= 0xFF51AFD7ED558CCDL;
    x ^= x >>> 33;
    return x;
  }

  Host[] table() {
    return table;
  }
}
