package weft.proxy.cluster;

import java.util.List;

/**
 * Weighted round robin over a precomputed smooth order; each thread stripe starts at a random
 * offset, as each Envoy worker does.
 */
final class RoundRobinPicker implements HostPicker {
  private final Host[] hosts;
  private final int[] order;
  private final StripedCursor cursor;

  RoundRobinPicker(List<Host> hosts) {
    this.hosts = hosts.toArray(Host[]::new);
    long[] weights = new long[this.hosts.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = this.hosts[i].weight();
    }
    this.order = WeightedSequence.of(weights);
    this.cursor = new StripedCursor(order.length);
  }

  @Override
  public Host pick(long hash, int attempt) {
    if (order.length == 0) {
      return null;
    }
    long i = cursor.next();
    return hosts[order[(int) Long.remainderUnsigned(i, order.length)]];
  }
}
