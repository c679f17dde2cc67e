package weft.bench.controlplane;

import java.util.List;
import java.util.Optional;

/**
 * One (proxies, services) cell of the matrix.
 *
 * @param failure why the cell stopped, if it did (figures measured before that are kept; others are -1, or null for CPU readings)
 * @param syncNanos control plane start (config dir load, first translation) to every proxy having
 *     ACKed every type it is served
 * @param syncBytes serialized xDS responses received during the initial sync
 * @param syncCpu CPU time during the initial sync (process; simulated proxies' threads)
 * @param clustersPerProxy clusters in one proxy's snapshot
 * @param fullTranslateNanos the median wall time of three full translations of the synced store
 * @param fullTranslateCpuNanos the median CPU time of the same three
 * @param heapSyncBytes heap used after GC once synced, minus the harness's own before the start
 * @param heapEndBytes the same after the rounds
 * @param changes the measured kinds of change, in order
 * @param problems what the translator reported it could not translate (should be none)
 * @param certNanos issuing every sidecar's workload certificate before the clock starts (mTLS), or -1
 */
record CellResult(int proxies, int services, Optional<String> failure, long syncNanos, long syncBytes,
    CpuTime.Reading syncCpu, int clustersPerProxy, long fullTranslateNanos, long fullTranslateCpuNanos, long heapSyncBytes, long heapEndBytes,
    List<ChangeResult> changes, List<String> problems, long certNanos) {

  CellResult {
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
  }
}
