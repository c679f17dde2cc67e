package weft.api;

import java.util.List;
import java.util.Optional;

/** Every resource kind weft reads, with the apiVersions it accepts and whether it is namespaced. */
public enum Kind {
  WORKLOAD("Workload", true, "weft.dev/v1alpha1"),
  NODE("Node", false, "weft.dev/v1alpha1"),
  /** weft's own {@code weft.dev/v1alpha1} Service. */
  MESH_SERVICE("Service", true, "weft.dev/v1alpha1"),
  NAMESPACE("Namespace", false, "v1"),
  /** Kubernetes' core {@code v1} Service. */
  SERVICE("Service", true, "v1"),
  NETWORK_POLICY("NetworkPolicy", true, "networking.k8s.io/v1"),
  CILIUM_NETWORK_POLICY("CiliumNetworkPolicy", true, "cilium.io/v2"),
  CILIUM_CLUSTERWIDE_NETWORK_POLICY("CiliumClusterwideNetworkPolicy", false, "cilium.io/v2"),
  AUTHORIZATION_POLICY(
      "AuthorizationPolicy", true, "security.istio.io/v1", "security.istio.io/v1beta1"),
  PEER_AUTHENTICATION(
      "PeerAuthentication", true, "security.istio.io/v1", "security.istio.io/v1beta1"),
  VIRTUAL_SERVICE(
      "VirtualService", true, "networking.istio.io/v1", "networking.istio.io/v1beta1"),
  DESTINATION_RULE(
      "DestinationRule", true, "networking.istio.io/v1", "networking.istio.io/v1beta1"),
  SIDECAR("Sidecar", true, "networking.istio.io/v1", "networking.istio.io/v1beta1");

  private final String kindName;
  private final boolean namespaced;
  private final List<String> apiVersions;

  Kind(String kindName, boolean namespaced, String... apiVersions) {
    this.kindName = kindName;
    this.namespaced = namespaced;
    this.apiVersions = List.of(apiVersions);
  }

  /** The {@code kind} field's value, e.g. {@code CiliumNetworkPolicy}. */
  public String kindName() {
    return kindName;
  }

  public boolean namespaced() {
    return namespaced;
  }

  /** Accepted {@code apiVersion}s, preferred first. */
  public List<String> apiVersions() {
    return apiVersions;
  }

  /** The kind a document declares, if weft knows the pair. */
  public static Optional<Kind> of(String apiVersion, String kind) {
    for (Kind k : values()) {
      if (k.kindName.equals(kind) && k.apiVersions.contains(apiVersion)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return kindName;
  }
}
