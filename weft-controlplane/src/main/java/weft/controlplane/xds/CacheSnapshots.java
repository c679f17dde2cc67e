package weft.controlplane.xds;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds java-control-plane cache snapshots for one publish. {@code Snapshot.create} wraps every
 * resource of every node in a {@link VersionedResource}, whose per-resource version (used by delta
 * xDS) is a SHA-256 computed anew each time; nodes share most resource objects, so this wraps each
 * object once per publish, with the very same version {@code VersionedResource.create} gives it.
 * Not thread-safe: one instance per publish, under the server's lock.
 */
final class CacheSnapshots {
  private final Map<Message, VersionedResource<?>> versioned = new IdentityHashMap<>();
  // a whole list many nodes share (a namespace's endpoints) at one version: one resource map for all
  private final Map<List<?>, Map<String, SnapshotResources<?>>> byList = new IdentityHashMap<>();

  Snapshot snapshot(ProxySnapshot s, XdsServer.TypeVersions v) {
    return new Versioned(
        resources(s.clusters(), v.clusters()),
        resources(s.endpoints(), v.endpoints()),
        resources(s.listeners(), v.listeners()),
        resources(s.routes(), v.routes()),
        resources(s.secrets(), v.secrets()));
  }

  @SuppressWarnings("unchecked") // keyed by the list itself, so the element type is the list's
  private <T extends Message> SnapshotResources<T> resources(List<T> messages, String version) {
    return (SnapshotResources<T>) byList.computeIfAbsent(messages, k -> new HashMap<>())
        .computeIfAbsent(version, v -> build(messages, v));
  }

  private <T extends Message> SnapshotResources<T> build(List<T> messages, String version) {
    List<VersionedResource<?>> out = new ArrayList<>(messages.size());
    for (T m : messages) {
      out.add(versioned.computeIfAbsent(m, VersionedResource::create));
    }
    return SnapshotResources.create(out, version);
  }

  /** v3.Snapshot's own logic (consistency, lookups by type) over resources built here. */
  private static final class Versioned extends Snapshot {
    private final SnapshotResources<Cluster> clusters;
    private final SnapshotResources<ClusterLoadAssignment> endpoints;
    private final SnapshotResources<Listener> listeners;
    private final SnapshotResources<RouteConfiguration> routes;
    private final SnapshotResources<Secret> secrets;

    Versioned(SnapshotResources<Cluster> clusters, SnapshotResources<ClusterLoadAssignment> endpoints,
        SnapshotResources<Listener> listeners, SnapshotResources<RouteConfiguration> routes,
        SnapshotResources<Secret> secrets) {
      this.clusters = clusters;
      this.endpoints = endpoints;
      this.listeners = listeners;
      this.routes = routes;
      this.secrets = secrets;
    }

    @Override
    public SnapshotResources<Cluster> clusters() {
      return clusters;
    }

    @Override
    public SnapshotResources<ClusterLoadAssignment> endpoints() {
      return endpoints;
    }

    @Override
    public SnapshotResources<Listener> listeners() {
      return listeners;
    }

    @Override
    public SnapshotResources<RouteConfiguration> routes() {
      return routes;
    }

    @Override
    public SnapshotResources<Secret> secrets() {
      return secrets;
    }
  }
}
