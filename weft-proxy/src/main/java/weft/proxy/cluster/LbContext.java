package weft.proxy.cluster;

/**
 * What the router tells the load balancer about one upstream attempt (Envoy's
 * {@code LoadBalancerContext}). The router may implement it on its per-request state to avoid an
 * allocation per attempt.
 */
public interface LbContext {
  /** No hash key, no retry predicate. */
  LbContext NONE = new LbContext() {};

  /** Whether {@link #hashKey()} is meaningful (the route has a hash_policy that produced a key). */
  default boolean hasHashKey() {
    return false;
  }

  /** The request's hash from the route's {@code hash_policy}; used by RING_HASH and MAGLEV. */
  default long hashKey() {
    return 0;
  }

  /**
   * The {@code previous_hosts} retry predicate: true if {@code host} should be avoided (it was
   * tried by an earlier attempt). Only consulted when {@link #hostSelectionRetryCount()} > 0.
   */
  default boolean shouldSelectAnotherHost(Host host) {
    return false;
  }

  /**
   * How many extra picks the balancer may make when {@link #shouldSelectAnotherHost} rejects a
   * host ({@code host_selection_retry_max_attempts}). When all are rejected the last pick is used,
   * as Envoy does.
   */
  default int hostSelectionRetryCount() {
    return 0;
  }

  /** A context carrying only a hash key. */
  static LbContext hash(long key) {
    return new LbContext() {
      @Override
      public boolean hasHashKey() {
        return true;
      }

      @Override
      public long hashKey() {
        return key;
      }
    };
  }
}
