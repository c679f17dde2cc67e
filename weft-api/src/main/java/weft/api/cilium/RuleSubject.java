package weft.api.cilium;

import java.util.Objects;

/** What a Cilium rule applies to: {@code endpointSelector} or {@code nodeSelector}. */
public sealed interface RuleSubject {
  EndpointSelector selector();

  /** {@code endpointSelector}: workloads (namespace-scoped for namespaced policies). */
  record Endpoints(EndpointSelector selector) implements RuleSubject {
    public Endpoints {
      Objects.requireNonNull(selector, "selector");
    }
  }

  /** {@code nodeSelector}: hosts ({@link weft.api.Node}); only in clusterwide policies. */
  record Nodes(EndpointSelector selector) implements RuleSubject {
    public Nodes {
      Objects.requireNonNull(selector, "selector");
    }
  }
}
