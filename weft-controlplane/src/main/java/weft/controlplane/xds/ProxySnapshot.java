package weft.controlplane.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The complete xDS configuration of one proxy: what the translator produces and the xDS server
 * publishes. Immutable; each of {@link #typeHashes()} is a SHA-256 over the SHA-256 of the
 * deterministic serialization of every resource of one type, and {@link #contentHash()} is a SHA-256
 * over those, so two snapshots with the same content have the same hashes and republishing one is a
 * no-op.
 *
 * <p>Build with {@link #of}; the canonical constructor trusts the hashes it is given.
 *
 * @param typeHashes one hex digest per type, in the order listeners, routes, clusters, endpoints,
 *     secrets: the xDS server compares these, not the resources, to find the types that changed
 */
public record ProxySnapshot(
    List<Listener> listeners,
    List<RouteConfiguration> routes,
    List<Cluster> clusters,
    List<ClusterLoadAssignment> endpoints,
    List<Secret> secrets,
    List<String> typeHashes,
    String contentHash) {

  private static final ProxySnapshot EMPTY = of(List.of(), List.of(), List.of(), List.of(), List.of());

  public ProxySnapshot {
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    secrets = List.copyOf(secrets);
    typeHashes = List.copyOf(typeHashes);
    if (typeHashes.size() != 5) {
      throw new IllegalArgumentException("typeHashes: " + typeHashes.size() + " hashes (expected: 5, one per type)");
    }
    Objects.requireNonNull(contentHash, "contentHash");
  }

  /** A snapshot of these resources with its content hash computed. */
  public static ProxySnapshot of(
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Secret> secrets) {
    return of(listeners, routes, clusters, endpoints, secrets, new Hasher());
  }

  /**
   * As {@link #of(List, List, List, List, List)}, taking each resource's digest from {@code
   * hasher}: a translation that gives one resource object to many proxies (a service's cluster)
   * passes one hasher for all of them and serializes that resource once, not once per proxy.
   */
  public static ProxySnapshot of(
      List<Listener> listeners,
      List<RouteConfiguration> routes,
      List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints,
      List<Secret> secrets,
      Hasher hasher) {
    // immutable first (a no-op for lists already so), so the hasher may memoise lists by identity
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    clusters = List.copyOf(clusters);
    endpoints = List.copyOf(endpoints);
    secrets = List.copyOf(secrets);
    MessageDigest all = sha256();
    List<String> typeHashes = new ArrayList<>(5);
    // each type's digest covers its resources' fixed-length digests, and the content hash the five
    // fixed-length type digests: a resource moved to another type changes the hash
    for (List<? extends Message> group : List.of(listeners, routes, clusters, endpoints, secrets)) {
      byte[] type = hasher.digest(group);
      all.update(type);
      typeHashes.add(HexFormat.of().formatHex(type));
    }
    return new ProxySnapshot(listeners, routes, clusters, endpoints, secrets, typeHashes,
        HexFormat.of().formatHex(all.digest()));
  }

  /**
   * Per-resource content digests (SHA-256 of the deterministic serialization), memoised by object
   * identity: protobuf messages are immutable, so one object always has one digest. Meant to live
   * for one translation (it keeps every resource it saw reachable); not thread-safe.
   */
  public static final class Hasher {
    private final Map<Message, byte[]> digests = new IdentityHashMap<>();
    // immutable lists shared by proxies (a namespace's endpoints): one digest per list object
    private final Map<List<? extends Message>, byte[]> listDigests = new IdentityHashMap<>();
    private final MessageDigest sha = sha256();
    private final MessageDigest listSha = sha256();

    /** The digest of one type's resources, in order; {@code group} must be immutable (List.copyOf). */
    byte[] digest(List<? extends Message> group) {
      byte[] d = listDigests.get(group);
      if (d == null) {
        for (Message m : group) {
          listSha.update(digest(m));
        }
        d = listSha.digest();
        listDigests.put(group, d);
      }
      return d;
    }

    /** The resource's digest; callers must not modify the returned array. */
    byte[] digest(Message m) {
      byte[] d = digests.get(m);
      if (d == null) {
        d = sha.digest(deterministicBytes(m));
        digests.put(m, d);
      }
      return d;
    }
  }

  /** No resources at all: what a proxy gets when the control plane knows nothing for it. */
  public static ProxySnapshot empty() {
    return EMPTY;
  }

  // map fields (Struct, metadata) serialize in hash order unless deterministic mode is asked for
  private static byte[] deterministicBytes(Message m) {
    byte[] out = new byte[m.getSerializedSize()];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.useDeterministicSerialization();
    try {
      m.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("serializing into an array cannot fail", e);
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }
}
