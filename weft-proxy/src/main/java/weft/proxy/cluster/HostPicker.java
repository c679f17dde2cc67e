package weft.proxy.cluster;

/**
 * Picks one host from a fixed list (one priority level's healthy hosts, or all of them in panic).
 * Built when the host snapshot is rebuilt; {@link #pick} runs on any event loop, lock-free.
 */
interface HostPicker {
  /**
   * @param hash the request's hash key, or a random value when the route has no hash policy
   * @param attempt 0 for the first pick; n for the n-th re-pick after the retry predicate rejected
   */
  Host pick(long hash, int attempt);
}
