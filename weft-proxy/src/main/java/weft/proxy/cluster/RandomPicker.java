package weft.proxy.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** RANDOM: uniform when weights are equal, otherwise proportional to weight. */
final class RandomPicker implements HostPicker {
  private final Host[] hosts;
  private final long[] cumulative; // null when all weights are equal

  RandomPicker(List<Host> hosts) {
    this.hosts = hosts.toArray(Host[]::new);
    boolean equal = hosts.stream().mapToInt(Host::weight).distinct().count() <= 1;
    if (equal) {
      cumulative = null;
    } else {
      cumulative = new long[this.hosts.length];
      long sum = 0;
      for (int i = 0; i < this.hosts.length; i++) {
        sum += this.hosts[i].weight();
        cumulative[i] = sum;
      }
    }
  }

  @Override
  public Host pick(long hash, int attempt) {
    if (hosts.length == 0) {
      return null;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (cumulative == null) {
      return hosts[r.nextInt(hosts.length)];
    }
    long x = r.nextLong(cumulative[cumulative.length - 1]);
    int i = Arrays.binarySearch(cumulative, x + 1);
    return hosts[i >= 0 ? i : -i - 1];
  }
}
