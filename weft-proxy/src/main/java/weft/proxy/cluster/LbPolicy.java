package weft.proxy.cluster;

import java.util.List;

/** A cluster's compiled {@code lb_policy}: makes the picker for one list of hosts. */
sealed interface LbPolicy {
  HostPicker picker(List<Host> hosts);

  /** Whether picks depend on the request hash (so the priority is chosen from it too). */
  default boolean usesHash() {
    return false;
  }

  /** ROUND_ROBIN: smooth weighted round robin. */
  record RoundRobin() implements LbPolicy {
    @Override
    public HostPicker picker(List<Host> hosts) {
      return new RoundRobinPicker(hosts);
    }
  }

  /** LEAST_REQUEST: power of {@code choiceCount} choices; weighted by active requests. */
  record LeastRequest(int choiceCount, double activeRequestBias) implements LbPolicy {
    @Override
    public HostPicker picker(List<Host> hosts) {
      return new LeastRequestPicker(hosts, choiceCount, activeRequestBias);
    }
  }

  /** RANDOM: weighted random. */
  record Random() implements LbPolicy {
    @Override
    public HostPicker picker(List<Host> hosts) {
      return new RandomPicker(hosts);
    }
  }

  /** RING_HASH (ketama) with Envoy's ring sizing. */
  record RingHash(long minRingSize, long maxRingSize) implements LbPolicy {
    @Override
    public HostPicker picker(List<Host> hosts) {
      return new RingHashPicker(hosts, minRingSize, maxRingSize);
    }

    @Override
    public boolean usesHash() {
      return true;
    }
  }

  /** MAGLEV with a prime table size (Envoy's default 65537). */
  record Maglev(int tableSize) implements LbPolicy {
    @Override
    public HostPicker picker(List<Host> hosts) {
      return new MaglevPicker(hosts, tableSize);
    }

    @Override
    public boolean usesHash() {
      return true;
    }
  }
}
