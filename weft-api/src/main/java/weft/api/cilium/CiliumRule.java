package weft.api.cilium;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Cilium rule: the {@code spec} or one entry of {@code specs}.
 *
 * @param subject endpointSelector or nodeSelector
 * @param ingress allow rules for incoming traffic
 * @param ingressDeny deny rules for incoming traffic (win over allows)
 * @param egress allow rules for outgoing traffic
 * @param egressDeny deny rules for outgoing traffic
 * @param enableDefaultDeny per-direction default-deny override
 * @param description free text, if given
 */
public record CiliumRule(
    RuleSubject subject,
    List<PeerRule> ingress,
    List<PeerRule> ingressDeny,
    List<PeerRule> egress,
    List<PeerRule> egressDeny,
    DefaultDeny enableDefaultDeny,
    Optional<String> description) {
  public CiliumRule {
    Objects.requireNonNull(subject, "subject");
    ingress = List.copyOf(ingress);
    ingressDeny = List.copyOf(ingressDeny);
    egress = List.copyOf(egress);
    egressDeny = List.copyOf(egressDeny);
    Objects.requireNonNull(enableDefaultDeny, "enableDefaultDeny");
    Objects.requireNonNull(description, "description");
  }
}
