package weft.bench.controlplane;

/**
 * One kind of change measured over every round of a cell.
 *
 * @param kind what changed, as printed
 * @param affected per round, how many connected proxies were served a new version of some type
 * @param translated per round, how many proxies' snapshots the control plane translated anew
 * @param perProxyAck every affected proxy of every round: nanoseconds from the file write to that
 *     proxy's ACK of the last of its changed types
 * @param allAcked per round: nanoseconds from the file write to the last affected proxy's ACK
 * @param published per round: nanoseconds from the file write to the new xDS version being served
 *     (watch, debounce, load, translate, publish)
 * @param translate every translation the control plane ran during the rounds, wall nanoseconds
 * @param translateCpu the same translations' CPU time (the translating thread's)
 * @param bytes serialized xDS responses received by all proxies over all rounds
 * @param cpu CPU time over all rounds, of the process and of the simulated proxies' threads
 */
record ChangeResult(String kind, int[] affected, int[] translated, long[] perProxyAck, long[] allAcked, long[] published,
    long[] translate, long[] translateCpu, long bytes, CpuTime.Reading cpu) {

  int rounds() {
    return allAcked.length;
  }
}
