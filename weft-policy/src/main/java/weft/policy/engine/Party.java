package weft.policy.engine;

import weft.policy.identity.Identity;
import weft.policy.identity.ReservedIdentity;
import weft.policy.model.IpAddress;
import weft.policy.model.NodeInfo;
import weft.policy.model.WorkloadInfo;

/**
 * A resolved flow end: a workload ({@code policy} set), a node ({@code node} set), or neither for
 * an outside address ({@code world}). {@code ip} is null for a workload or node without address.
 * Workload and node parties are built once per engine and reused by every evaluation.
 */
record Party(WorkloadPolicy policy, NodeInfo node, IpAddress ip) {

  WorkloadInfo workload() {
    return policy == null ? null : policy.workload;
  }

  Identity identity() {
    return policy == null ? null : policy.identity;
  }

  boolean isWorkload() {
    return policy != null;
  }

  boolean isWorld() {
    return policy == null && node == null;
  }

  /**
   * The reserved identity of this end as seen from {@code other}: a node is {@code host} to the
   * workloads it runs and {@code remote-node} to the others; an outside address is {@code world}.
   */
  ReservedIdentity reservedAsSeenFrom(Party other) {
    if (isWorld()) return ReservedIdentity.WORLD;
    if (node == null) return null;
    boolean local = other.policy != null && other.policy.workload.node().isPresent()
        && other.policy.workload.node().get().equals(node.name());
    return local ? ReservedIdentity.HOST : ReservedIdentity.REMOTE_NODE;
  }

  String describe() {
    if (policy != null) return policy.workload.key();
    if (node != null) return "node/" + node.name();
    return ip.toString();
  }
}
