package weft.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import weft.api.istio.EgressHost;
import weft.api.meta.ObjectMeta;
import weft.api.meta.SortedMaps;

/**
 * Istio's {@code networking.istio.io/v1} (or v1beta1, v1alpha3) Sidecar, the part weft implements:
 * which services a proxy is told about (istio.io, "Sidecar": {@code egress[].hosts}). Precedence, as
 * Istio's: a Sidecar in the workload's namespace whose {@code workloadSelector} selects it, then the
 * namespace's Sidecar without selector, then the one without selector in the root namespace (the
 * mesh default); without any, a proxy imports every service.
 *
 * @param metadata name and namespace
 * @param workloadSelector {@code workloadSelector.labels}; empty: the namespace-wide default
 * @param egressHosts the one egress listener's {@code hosts} (weft has no per-port egress listeners)
 */
public record Sidecar(ObjectMeta metadata, Map<String, String> workloadSelector, List<EgressHost> egressHosts)
    implements Resource {
  public Sidecar {
    Objects.requireNonNull(metadata, "metadata");
    workloadSelector = SortedMaps.copyOf(workloadSelector);
    egressHosts = List.copyOf(egressHosts);
  }

  @Override
  public Kind kind() {
    return Kind.SIDECAR;
  }

  /**
   * Whether a proxy in {@code clientNamespace} scoped by this Sidecar imports the service {@code
   * fqdn} of namespace {@code serviceNamespace}.
   */
  public boolean imports(String clientNamespace, String serviceNamespace, String fqdn) {
    for (EgressHost h : egressHosts) {
      if (h.matches(clientNamespace, serviceNamespace, fqdn)) {
        return true;
      }
    }
    return false;
  }
}
