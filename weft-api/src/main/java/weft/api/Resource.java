package weft.api;

import weft.api.meta.ObjectMeta;

/**
 * A decoded, validated, immutable resource. Every implementation is a record with value equality,
 * so an unchanged resource compares equal across reloads (identical updates are skipped).
 *
 * <p>Switch over it exhaustively:
 *
 * <pre>{@code
 * switch (resource) {
 *   case Workload w -> ...
 *   case Node n -> ...
 *   case Service s -> ...            // weft.dev and core v1 Services
 *   case Namespace ns -> ...
 *   case NetworkPolicy np -> ...
 *   case CiliumNetworkPolicy cnp -> ... // namespaced and clusterwide
 *   case AuthorizationPolicy ap -> ...
 *   case PeerAuthentication pa -> ...
 *   case VirtualService vs -> ...
 *   case DestinationRule dr -> ...
 *   case Sidecar sc -> ...
 * }
 * }</pre>
 */
public sealed interface Resource
    permits Workload,
        Node,
        Service,
        Namespace,
        NetworkPolicy,
        CiliumNetworkPolicy,
        AuthorizationPolicy,
        PeerAuthentication,
        VirtualService,
        DestinationRule,
        Sidecar {

  Kind kind();

  ObjectMeta metadata();

  default ResourceKey key() {
    return new ResourceKey(kind(), metadata().namespace(), metadata().name());
  }
}
