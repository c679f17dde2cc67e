package weft.proxy.cluster;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Weighted round robin over a precomputed smooth order; starts at a random offset as Envoy. */
final class RoundRobinPicker implements HostPicker {
  private final Host[] hosts;
  private final int[] order;
  private final AtomicLong cursor;

  RoundRobinPicker(List<Host> hosts) {
    this.hosts = hosts.toArray(Host[]::new);
    long[] weights = new long[this.hosts.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = this.hosts[i].weight();
    }
    this.order = WeightedSequence.of(weights);
    this.cursor = new AtomicLong(order.length == 0 ? 0 : ThreadLocalRandom.current().nextInt(order.length));
  }

  @Override
  public Host pick(long hash, int attempt) {
    if (order.length == 0) {
      return null;
    }
    long i = cursor.getAndIncrement();
    return hosts[order[(int) Long.remainderUnsigned(i, order.length)]];
  }
}
