package weft.bench.controlplane;

import java.time.Duration;
import java.util.List;

/**
 * What {@code weft bench controlplane} measures: every (proxies, services) pair, {@code rounds}
 * policy edits and endpoint additions in each.
 *
 * @param proxies the proxy counts of the matrix
 * @param services the service counts of the matrix
 * @param rounds changes of each kind per cell
 * @param timeout the longest wait for one step (the initial sync, one change's ACKs) before the
 *     cell is given up and reported as such
 * @param warmUp whether a small unreported run comes first (class loading, JIT)
 * @param mtls whether the simulated sidecars use the mTLS xDS port, each over its own connection with
 *     its own certificate (as real sidecars); false: the plaintext port over 4 shared connections
 * @param sidecarScope whether the mesh scopes each tier's proxies with an Istio Sidecar ({@link MeshFiles})
 */
public record ControlPlaneBenchSettings(List<Integer> proxies, List<Integer> services, int rounds, Duration timeout,
    boolean warmUp, boolean mtls, boolean sidecarScope) {
  public ControlPlaneBenchSettings {
    proxies = List.copyOf(proxies);
    services = List.copyOf(services);
    requirePositive("proxies", proxies);
    requirePositive("services", services);
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds: " + rounds + " (expected: >= 1)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }

  /** Over mTLS, as real sidecars; without Sidecar scoping. */
  public ControlPlaneBenchSettings(List<Integer> proxies, List<Integer> services, int rounds, Duration timeout,
      boolean warmUp) {
    this(proxies, services, rounds, timeout, warmUp, true, false);
  }

  private static void requirePositive(String name, List<Integer> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException(name + ": empty (expected: at least one count)");
    }
    for (int v : values) {
      if (v < 1) {
        throw new IllegalArgumentException(name + ": " + v + " (expected: >= 1)");
      }
    }
  }
}
