package weft.policy.engine;

import weft.policy.identity.Identity;
import weft.policy.identity.ReservedIdentity;
import weft.policy.model.IpAddress;
import weft.policy.model.NodeInfo;
import weft.policy.model.WorkloadInfo;

/**
 * A resolved flow end. Exactly one of {@code workload}/{@code node} is set, or neither for an
 * outside address ({@code world}). {@code ip} is null for a workload or node without address.
 * Internal to evaluation: built once per flow.
 */
record Party(WorkloadInfo workload, NodeInfo node, IpAddress ip, Identity identity) {

  boolean isWorkload() {
    return workload != null;
  }

  boolean isWorld() {
    return workload == null && node == null;
  }

  /**
   * The identity index of this end as seen from {@code other}: a node is {@code host} to the
   * workloads it runs and {@code remote-node} to the others.
   */
  ReservedIdentity reservedAsSeenFrom(Party other) {
    if (isWorld()) return ReservedIdentity.WORLD;
    if (node == null) return null;
    boolean local =
        other.workload != null && other.workload.node().map(n -> n.equals(node.name())).orElse(false);
    return local ? ReservedIdentity.HOST : ReservedIdentity.REMOTE_NODE;
  }

  String describe() {
    if (workload != null) return workload.key();
    if (node != null) return "node/" + node.name();
    return ip.toString();
  }
}
