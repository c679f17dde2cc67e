package weft.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * Turns the xDS state of the world into the equivalent static bootstrap, so that every resource is
 * validated and compiled by the same compilers as a file bootstrap: an EDS cluster gets its
 * {@code ClusterLoadAssignment} as {@code load_assignment} (type STATIC), an HCM's {@code rds} its
 * {@code RouteConfiguration} inline, an SDS reference its secret inline. References to resources
 * not received yet are collected in {@link Result#warming()} (Envoy's warming: nothing is applied
 * until they arrive).
 */
final class SnapshotAssembler {
  static final String HCM_TYPE =
      "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  static final String DOWNSTREAM_TLS =
      "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext";
  static final String UPSTREAM_TLS =
      "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";

  /**
   * @param warming "eds NAME", "rds NAME", "sds NAME" for every reference not resolved yet
   * @param edsNames, routeNames, secretNames what to subscribe to (secrets: not the local ones)
   * @param listenerShapes per listener name, the listener as assembled but with its RDS references
   *     kept: when it is unchanged, an update swaps routes and clusters under the running listener
   *     instead of replacing (and draining) it
   */
  record Result(Bootstrap bootstrap, Set<String> warming, Set<String> edsNames,
      Set<String> routeNames, Set<String> secretNames, Set<String> warmingPaths,
      Map<String, Listener> listenerShapes) {}

  private final XdsResources res;
  private final Map<String, Secret> localSecrets;
  private final ConfigProblems problems;
  private final boolean inlineRoutes;
  private final Set<String> warming = new TreeSet<>();
  private final Set<String> eds = new TreeSet<>();
  private final Set<String> rds = new TreeSet<>();
  private final Set<String> sds = new TreeSet<>();
  // transport sockets whose secret is still warming: their compile problems are placeholders'
  private final Set<String> warmingPaths = new TreeSet<>();

  private SnapshotAssembler(XdsResources res, Map<String, Secret> localSecrets,
      ConfigProblems problems, boolean inlineRoutes) {
    this.res = res;
    this.localSecrets = localSecrets;
    this.problems = problems;
    this.inlineRoutes = inlineRoutes;
  }

  static Result assemble(XdsResources res, Map<String, Secret> localSecrets, Node node,
      ConfigProblems problems) {
    SnapshotAssembler a = new SnapshotAssembler(res, localSecrets, problems, true);
    Bootstrap.StaticResources.Builder sr = Bootstrap.StaticResources.newBuilder();
    res.clusters().forEach((name, c) -> sr.addClusters(a.cluster(c, ConfigPath.of("clusters").key(name))));
    res.listeners().forEach((name, l) -> sr.addListeners(a.listener(l, ConfigPath.of("listeners").key(name))));
    // the bootstrap's node carries only what the bootstrap compiler reads (identity)
    Node id = Node.newBuilder().setId(node.getId()).setCluster(node.getCluster()).build();
    Bootstrap b = Bootstrap.newBuilder().setNode(id).setStaticResources(sr).build();
    // the same listeners without routes inlined (their problems were reported above)
    SnapshotAssembler shapes = new SnapshotAssembler(res, localSecrets, new ConfigProblems(), false);
    Map<String, Listener> shaped = new java.util.TreeMap<>();
    res.listeners().forEach((name, l) ->
        shaped.put(name, shapes.listener(l, ConfigPath.of("listeners").key(name))));
    return new Result(b, a.warming, a.eds, a.rds, a.sds, a.warmingPaths, Map.copyOf(shaped));
  }

  private Cluster cluster(Cluster c, ConfigPath path) {
    Cluster.Builder b = c.toBuilder();
    if (c.hasType() && c.getType() == Cluster.DiscoveryType.EDS) {
      ConfigPath ep = path.field("eds_cluster_config");
      var cfg = c.getEdsClusterConfig();
      if (!isAds(cfg.getEdsConfig())) {
        problems.add(ep.field("eds_config"), "only an ads config source is supported");
      }
      String name = cfg.getServiceName().isEmpty() ? c.getName() : cfg.getServiceName();
      eds.add(name);
      ClusterLoadAssignment cla = res.endpoints().get(name);
      if (cla == null) {
        warming.add("eds " + name);
        cla = ClusterLoadAssignment.getDefaultInstance();
      }
      b.clearEdsClusterConfig().setType(Cluster.DiscoveryType.STATIC)
          .setLoadAssignment(cla.toBuilder().setClusterName(c.getName()));
    }
    if (c.hasTransportSocket()) {
      b.setTransportSocket(transportSocket(c.getTransportSocket(), path.field("transport_socket")));
    }
    return b.build();
  }

  private Listener listener(Listener l, ConfigPath path) {
    Listener.Builder b = l.toBuilder();
    for (int i = 0; i < l.getFilterChainsCount(); i++) {
      b.setFilterChains(i, chain(l.getFilterChains(i), path.field("filter_chains").index(i)));
    }
    if (l.hasDefaultFilterChain()) {
      b.setDefaultFilterChain(chain(l.getDefaultFilterChain(), path.field("default_filter_chain")));
    }
    return b.build();
  }

  private FilterChain chain(FilterChain fc, ConfigPath path) {
    FilterChain.Builder b = fc.toBuilder();
    if (fc.hasTransportSocket()) {
      b.setTransportSocket(transportSocket(fc.getTransportSocket(), path.field("transport_socket")));
    }
    for (int i = 0; i < fc.getFiltersCount(); i++) {
      Filter f = fc.getFilters(i);
      if (f.getTypedConfig().getTypeUrl().equals(HCM_TYPE)) {
        ConfigPath fp = path.field("filters").index(i).field("typed_config");
        HttpConnectionManager hcm = unpack(f.getTypedConfig(), HttpConnectionManager.class, fp);
        if (hcm != null && hcm.hasRds() && inlineRoutes) {
          b.setFilters(i, f.toBuilder().setTypedConfig(Any.pack(hcm(hcm, fp))));
        }
      }
    }
    return b.build();
  }

  private HttpConnectionManager hcm(HttpConnectionManager hcm, ConfigPath path) {
    var r = hcm.getRds();
    if (!isAds(r.getConfigSource())) {
      problems.add(path.field("rds").field("config_source"), "only an ads config source is supported");
    }
    String name = r.getRouteConfigName();
    if (name.isEmpty()) {
      problems.add(path.field("rds").field("route_config_name"), "must not be empty");
    }
    rds.add(name);
    RouteConfiguration rc = res.routes().get(name);
    if (rc == null) {
      warming.add("rds " + name);
      rc = RouteConfiguration.newBuilder().setName(name).build();
    }
    if (!rc.hasValidateClusters()) {
      // Envoy: clusters of RDS-loaded route configs are not validated by default (-> 503)
      rc = rc.toBuilder().setValidateClusters(com.google.protobuf.BoolValue.of(false)).build();
    }
    return hcm.toBuilder().clearRds().setRouteConfig(rc).build();
  }

  private TransportSocket transportSocket(TransportSocket ts, ConfigPath path) {
    String url = ts.getTypedConfig().getTypeUrl();
    ConfigPath tp = path.field("typed_config");
    if (url.equals(DOWNSTREAM_TLS)) {
      DownstreamTlsContext d = unpack(ts.getTypedConfig(), DownstreamTlsContext.class, tp);
      if (d != null && d.hasCommonTlsContext()) {
        d = d.toBuilder().setCommonTlsContext(
            common(d.getCommonTlsContext(), tp.field("common_tls_context"))).build();
        return ts.toBuilder().setTypedConfig(Any.pack(d)).build();
      }
    } else if (url.equals(UPSTREAM_TLS)) {
      UpstreamTlsContext u = unpack(ts.getTypedConfig(), UpstreamTlsContext.class, tp);
      if (u != null && u.hasCommonTlsContext()) {
        u = u.toBuilder().setCommonTlsContext(
            common(u.getCommonTlsContext(), tp.field("common_tls_context"))).build();
        return ts.toBuilder().setTypedConfig(Any.pack(u)).build();
      }
    }
    return ts;
  }

  private CommonTlsContext common(CommonTlsContext c, ConfigPath path) {
    CommonTlsContext.Builder b = c.toBuilder();
    if (c.getTlsCertificateSdsSecretConfigsCount() > 0) {
      b.clearTlsCertificateSdsSecretConfigs();
      for (int i = 0; i < c.getTlsCertificateSdsSecretConfigsCount(); i++) {
        ConfigPath p = path.field("tls_certificate_sds_secret_configs").index(i);
        Secret s = secret(c.getTlsCertificateSdsSecretConfigs(i), p);
        if (s == null) {
          continue;
        }
        if (!s.hasTlsCertificate()) {
          problems.add(p.field("name"), "secret '" + s.getName() + "' is not a tls_certificate");
        } else {
          b.addTlsCertificates(s.getTlsCertificate());
        }
      }
    }
    if (c.hasValidationContextSdsSecretConfig()) {
      ConfigPath p = path.field("validation_context_sds_secret_config");
      b.clearValidationContextSdsSecretConfig();
      Secret s = secret(c.getValidationContextSdsSecretConfig(), p);
      if (s != null && !s.hasValidationContext()) {
        problems.add(p.field("name"), "secret '" + s.getName() + "' is not a validation_context");
      } else if (s != null) {
        b.setValidationContext(s.getValidationContext());
      }
    }
    if (c.hasCombinedValidationContext()
        && c.getCombinedValidationContext().hasValidationContextSdsSecretConfig()) {
      var combined = c.getCombinedValidationContext();
      ConfigPath p = path.field("combined_validation_context").field("validation_context_sds_secret_config");
      Secret s = secret(combined.getValidationContextSdsSecretConfig(), p);
      if (s != null && !s.hasValidationContext()) {
        problems.add(p.field("name"), "secret '" + s.getName() + "' is not a validation_context");
      } else if (s != null) {
        // Envoy merges the default context into the dynamic one: its set fields win
        b.clearCombinedValidationContext().setValidationContext(
            s.getValidationContext().toBuilder().mergeFrom(combined.getDefaultValidationContext()));
      }
    }
    return b.build();
  }

  /** The secret, or null when it is still warming (or the reference is invalid). */
  private Secret secret(SdsSecretConfig ref, ConfigPath path) {
    String name = ref.getName();
    if (name.isEmpty()) {
      problems.add(path.field("name"), "must not be empty");
      return null;
    }
    Secret local = localSecrets.get(name);
    if (local != null) {
      return local.toBuilder().setName(name).build();
    }
    if (name.equals(WorkloadIdentity.SECRET_NAME)) {
      // docs/controlplane.md: 'default' is the workload's own certificate, never asked of the server
      warming.add("local secret " + name);
      warmingPaths.add(path.toString().replaceFirst("\\.typed_config\\..*$", ""));
      return null;
    }
    if (ref.hasSdsConfig() && !isAds(ref.getSdsConfig())) {
      problems.add(path.field("sds_config"), "only an ads config source is supported");
      return null;
    }
    sds.add(name);
    Secret s = res.secrets().get(name);
    if (s == null) {
      warming.add("sds " + name);
      warmingPaths.add(path.toString().replaceFirst("\\.typed_config\\..*$", ""));
    }
    return s;
  }

  private static boolean isAds(ConfigSource cs) {
    return cs.hasAds() || cs.getConfigSourceSpecifierCase()
        == ConfigSource.ConfigSourceSpecifierCase.CONFIGSOURCESPECIFIER_NOT_SET;
  }

  private <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type, ConfigPath path) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      problems.add(path, "cannot decode " + any.getTypeUrl() + ": " + e.getMessage());
      return null;
    }
  }
}
