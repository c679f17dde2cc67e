package weft.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable set of resources, indexed by {@link ResourceKey} (kind, namespace, name), in key
 * order. At most one resource per key. Value equality: two sets holding equal resources are equal.
 * Thread-safe (immutable).
 */
public final class ResourceSet {
  private static final ResourceSet EMPTY = new ResourceSet(new TreeMap<>());

  private final SortedMap<ResourceKey, Resource> byKey;

  private ResourceSet(SortedMap<ResourceKey, Resource> byKey) {
    this.byKey = Collections.unmodifiableSortedMap(byKey);
  }

  public static ResourceSet empty() {
    return EMPTY;
  }

  /**
   * A set of the given resources.
   *
   * @throws IllegalArgumentException if two resources share a key
   */
  public static ResourceSet of(Collection<? extends Resource> resources) {
    TreeMap<ResourceKey, Resource> map = new TreeMap<>();
    for (Resource r : resources) {
      Resource previous = map.putIfAbsent(r.key(), r);
      if (previous != null) {
        throw new IllegalArgumentException("duplicate resource: " + r.key());
      }
    }
    return new ResourceSet(map);
  }

  /** Every resource, in key order (kind, namespace, name). */
  public List<Resource> all() {
    return List.copyOf(byKey.values());
  }

  public int size() {
    return byKey.size();
  }

  public Optional<Resource> get(ResourceKey key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public Optional<Resource> get(Kind kind, String namespace, String name) {
    return get(new ResourceKey(kind, namespace, name));
  }

  /** Resources of one kind, in namespace/name order. */
  public List<Resource> ofKind(Kind kind) {
    return List.copyOf(range(kind).values());
  }

  /** Resources of one kind in one namespace ({@code ""} for cluster-scoped kinds). */
  public List<Resource> inNamespace(Kind kind, String namespace) {
    return List.copyOf(
        byKey.subMap(new ResourceKey(kind, namespace, ""), new ResourceKey(kind, namespace + "\0", ""))
            .values());
  }

  /** Every resource of a record type, e.g. {@code all(CiliumNetworkPolicy.class)}. */
  public <T extends Resource> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Resource r : byKey.values()) {
      if (type.isInstance(r)) {
        out.add(type.cast(r));
      }
    }
    return List.copyOf(out);
  }

  public List<Workload> workloads() {
    return all(Workload.class);
  }

  public List<Node> nodes() {
    return all(Node.class);
  }

  /** weft.dev and core v1 Services. */
  public List<Service> services() {
    return all(Service.class);
  }

  public List<Namespace> namespaces() {
    return all(Namespace.class);
  }

  public List<NetworkPolicy> networkPolicies() {
    return all(NetworkPolicy.class);
  }

  /** Namespaced and clusterwide Cilium policies. */
  public List<CiliumNetworkPolicy> ciliumPolicies() {
    return all(CiliumNetworkPolicy.class);
  }

  public List<AuthorizationPolicy> authorizationPolicies() {
    return all(AuthorizationPolicy.class);
  }

  public List<PeerAuthentication> peerAuthentications() {
    return all(PeerAuthentication.class);
  }

  public List<VirtualService> virtualServices() {
    return all(VirtualService.class);
  }

  public List<DestinationRule> destinationRules() {
    return all(DestinationRule.class);
  }

  public List<Sidecar> sidecars() {
    return all(Sidecar.class);
  }

  public Optional<Workload> workload(String namespace, String name) {
    return get(Kind.WORKLOAD, namespace, name).map(Workload.class::cast);
  }

  public Optional<Node> node(String name) {
    return get(Kind.NODE, "", name).map(Node.class::cast);
  }

  public Optional<Namespace> namespace(String name) {
    return get(Kind.NAMESPACE, "", name).map(Namespace.class::cast);
  }

  private Map<ResourceKey, Resource> range(Kind kind) {
    Kind[] kinds = Kind.values();
    return kind.ordinal() + 1 < kinds.length
        ? byKey.subMap(new ResourceKey(kind, "", ""), new ResourceKey(kinds[kind.ordinal() + 1], "", ""))
        : byKey.tailMap(new ResourceKey(kind, "", ""));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceSet other && byKey.equals(other.byKey);
  }

  @Override
  public int hashCode() {
    return byKey.hashCode();
  }

  @Override
  public String toString() {
    return "ResourceSet" + byKey.keySet();
  }
}
