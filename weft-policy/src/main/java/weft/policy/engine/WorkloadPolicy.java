package weft.policy.engine;

import weft.policy.identity.Identity;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.WorkloadInfo;

/** Everything compiled for one workload: its identity and each dialect's policy per direction. */
public final class WorkloadPolicy {
  final WorkloadInfo workload;
  final Identity identity;
  final int identityIndex;
  private final DirectionPolicy[] label; // [dialect K8S/CILIUM][direction]
  final IstioPolicy istio;
  /** This workload as a flow end, and its Istio principal (SPIFFE ID without scheme) and namespace. */
  final Party party;
  final String principal;

  public IstioPolicy istio() {
    return istio;
  }

  WorkloadPolicy(WorkloadInfo workload, Identity identity, int identityIndex, DirectionPolicy[] label, IstioPolicy istio, String trustDomain) {
    this.principal = trustDomain + "/ns/" + workload.namespace() + "/sa/" + workload.serviceAccount();
    this.party = new Party(this, null, workload.addresses().isEmpty() ? null : workload.addresses().get(0));
    this.workload = workload;
    this.identity = identity;
    this.identityIndex = identityIndex;
    this.label = label.clone();
    this.istio = istio;
  }

  static int slot(Dialect d, Direction dir) {
    return (d == Dialect.KUBERNETES ? 0 : 2) + dir.ordinal();
  }

  /** The compiled Kubernetes or Cilium policy map of one direction. */
  public DirectionPolicy label(Dialect d, Direction dir) {
    return label[slot(d, dir)];
  }

  public WorkloadInfo workload() {
    return workload;
  }

  public Identity identity() {
    return identity;
  }

  /** Whether some policy of {@code dialect} selects this workload in {@code direction}. */
  public boolean selected(Dialect dialect, Direction direction) {
    return dialect == Dialect.ISTIO
        ? direction == Direction.INGRESS && istio.selected()
        : label(dialect, direction).selected();
  }

  /** Whether the workload is in default deny in {@code direction} for a Kubernetes/Cilium dialect. */
  public boolean defaultDeny(Dialect dialect, Direction direction) {
    return dialect != Dialect.ISTIO && label(dialect, direction).defaultDeny() != null;
  }
}
