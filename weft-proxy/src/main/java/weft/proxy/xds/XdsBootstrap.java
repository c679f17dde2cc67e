package weft.proxy.xds;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import java.net.InetSocketAddress;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * An Envoy bootstrap whose config comes from an ADS server ({@code dynamic_resources}): the node,
 * the xDS server's address (the one endpoint of the static cluster {@code ads_config} names) and
 * the protocol, {@code ads_config.api_type} {@code GRPC} (state of the world) or {@code
 * DELTA_GRPC} (incremental). {@code cds_config} and {@code lds_config} must be ADS.
 */
public record XdsBootstrap(String nodeId, InetSocketAddress xds, AdsClient.Protocol protocol) {

  /** Null when {@code problems} got a problem. */
  public static XdsBootstrap compile(Bootstrap b, ConfigPath path, ConfigProblems problems) {
    int before = problems.list().size();
    SupportedFields.check(b, path, problems, "node", "dynamic_resources", "static_resources");
    ConfigPath np = path.field("node");
    SupportedFields.check(b.getNode(), np, problems, "id", "cluster");
    try {
      AdsClient.node(b.getNode().getId());
    } catch (IllegalArgumentException e) {
      problems.add(np.field("id"), e.getMessage());
    }
    ConfigPath dp = path.field("dynamic_resources");
    var d = b.getDynamicResources();
    SupportedFields.check(d, dp, problems, "ads_config", "cds_config", "lds_config");
    ads(d.getCdsConfig(), dp.field("cds_config"), problems);
    ads(d.getLdsConfig(), dp.field("lds_config"), problems);
    ConfigPath ap = dp.field("ads_config");
    ApiConfigSource api = d.getAdsConfig();
    SupportedFields.check(api, ap, problems, "api_type", "transport_api_version", "grpc_services");
    AdsClient.Protocol protocol = switch (api.getApiType()) {
      case GRPC -> AdsClient.Protocol.SOTW;
      case DELTA_GRPC -> AdsClient.Protocol.DELTA;
      default -> {
        problems.add(ap.field("api_type"), api.getApiType() + " (expected: GRPC or DELTA_GRPC)");
        yield null;
      }
    };
    InetSocketAddress xds = null;
    if (api.getGrpcServicesCount() != 1) {
      problems.add(ap.field("grpc_services"), api.getGrpcServicesCount()
          + " services (expected: exactly 1)");
    } else {
      xds = server(b, api.getGrpcServices(0), ap.field("grpc_services").index(0), problems);
    }
    return problems.list().size() == before ? new XdsBootstrap(b.getNode().getId(), xds, protocol)
        : null;
  }

  private static void ads(ConfigSource cs, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(cs, path, problems, "ads", "resource_api_version");
    if (!cs.hasAds()) {
      problems.add(path, "must be {ads: {}} (only ADS is supported)");
    }
  }

  private static InetSocketAddress server(Bootstrap b, GrpcService g, ConfigPath path,
      ConfigProblems problems) {
    SupportedFields.check(g, path, problems, "envoy_grpc", "timeout");
    switch (g.getTargetSpecifierCase()) {
      case ENVOY_GRPC -> {
        ConfigPath ep = path.field("envoy_grpc");
        SupportedFields.check(g.getEnvoyGrpc(), ep, problems, "cluster_name");
        return clusterAddress(b, g.getEnvoyGrpc().getClusterName(), ep.field("cluster_name"),
            problems);
      }
      case GOOGLE_GRPC -> problems.unsupported(path.field("google_grpc"), "google_grpc");
      case TARGETSPECIFIER_NOT_SET -> problems.add(path, "envoy_grpc is required");
      default -> problems.unsupported(path, g.getTargetSpecifierCase());
    }
    return null;
  }

  /** The one socket address of the STATIC cluster {@code name} of {@code static_resources}. */
  private static InetSocketAddress clusterAddress(Bootstrap b, String name, ConfigPath path,
      ConfigProblems problems) {
    var sr = b.getStaticResources();
    SupportedFields.check(sr, ConfigPath.of("static_resources"), problems, "clusters");
    for (int i = 0; i < sr.getClustersCount(); i++) {
      Cluster c = sr.getClusters(i);
      if (!c.getName().equals(name)) {
        continue;
      }
      ConfigPath cp = ConfigPath.of("static_resources").field("clusters").index(i);
      // the gRPC client speaks HTTP/2 in plaintext: protocol options say nothing more to it, a
      // transport socket (TLS) would, and is refused by name
      SupportedFields.check(c, cp, problems, "name", "type", "connect_timeout", "load_assignment",
          "typed_extension_protocol_options", "http2_protocol_options");
      var la = c.getLoadAssignment();
      if (c.getType() != Cluster.DiscoveryType.STATIC || la.getEndpointsCount() != 1
          || la.getEndpoints(0).getLbEndpointsCount() != 1
          || !la.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().hasSocketAddress()) {
        problems.add(cp, "the xds cluster '" + name + "' must be STATIC with exactly one socket address");
        return null;
      }
      SocketAddress sa = la.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
          .getSocketAddress();
      return InetSocketAddress.createUnresolved(sa.getAddress(), sa.getPortValue());
    }
    problems.add(path, "unknown cluster '" + name + "' (expected: a static cluster)");
    return null;
  }
}
