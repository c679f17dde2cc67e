package weft.policy.model;

import java.util.List;

/** Everything the engine compiles: the topology and the translated policies of every dialect. */
public record PolicyInputs(
    List<WorkloadInfo> workloads,
    List<NamespaceInfo> namespaces,
    List<NodeInfo> nodes,
    List<LabelPolicy> labelPolicies,
    List<AuthzPolicy> authzPolicies,
    List<MtlsPolicy> mtlsPolicies) {
  public PolicyInputs {
    workloads = List.copyOf(workloads);
    namespaces = List.copyOf(namespaces);
    nodes = List.copyOf(nodes);
    labelPolicies = List.copyOf(labelPolicies);
    authzPolicies = List.copyOf(authzPolicies);
    mtlsPolicies = List.copyOf(mtlsPolicies);
  }
}
