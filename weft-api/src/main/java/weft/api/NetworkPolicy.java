package weft.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import weft.api.k8s.NetworkPolicyRule;
import weft.api.k8s.PolicyType;
import weft.api.meta.LabelSelector;
import weft.api.meta.ObjectMeta;

/**
 * Kubernetes {@code networking.k8s.io/v1} NetworkPolicy.
 *
 * @param metadata name and namespace (the policy selects pods in that namespace only)
 * @param podSelector the pods the policy applies to; {@link LabelSelector#EVERYTHING} selects all
 * @param policyTypes the directions the policy isolates, already defaulted as Kubernetes documents:
 *     when omitted, {@code Ingress} always and {@code Egress} if there are egress rules
 * @param ingress allow rules for incoming traffic (empty + Ingress in policyTypes = deny all in)
 * @param egress allow rules for outgoing traffic
 */
public record NetworkPolicy(
    ObjectMeta metadata,
    LabelSelector podSelector,
    Set<PolicyType> policyTypes,
    List<NetworkPolicyRule> ingress,
    List<NetworkPolicyRule> egress)
    implements Resource {
  public NetworkPolicy {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(podSelector, "podSelector");
    policyTypes = Set.copyOf(policyTypes);
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
  }

  @Override
  public Kind kind() {
    return Kind.NETWORK_POLICY;
  }

  public boolean isolatesIngress() {
    return policyTypes.contains(PolicyType.INGRESS);
  }

  public boolean isolatesEgress() {
    return policyTypes.contains(PolicyType.EGRESS);
  }
}
