package weft.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds Envoy's {@code /config_dump} documents ({@code envoy.admin.v3.ConfigDump}). */
public final class ConfigDumps {
  /** Built on first use: it pulls in a large part of the Envoy API's descriptors. */
  private static final class DefaultRegistry {
    static final JsonFormat.TypeRegistry INSTANCE = buildDefaultRegistry();
  }

  private ConfigDumps() {}

  /**
   * The dump of a static bootstrap, in Envoy's order: the bootstrap, its clusters as {@code
   * static_clusters}, its listeners as {@code static_listeners}, and the route configurations
   * inlined in HTTP connection managers as {@code static_route_configs}.
   */
  public static List<Message> ofBootstrap(Bootstrap bootstrap, Instant loadedAt) {
    Timestamp ts =
        Timestamp.newBuilder()
            .setSeconds(loadedAt.getEpochSecond())
            .setNanos(loadedAt.getNano())
            .build();
    List<Message> dump = new ArrayList<>();
    dump.add(BootstrapConfigDump.newBuilder().setBootstrap(bootstrap).setLastUpdated(ts).build());
    ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder();
    for (Cluster c : bootstrap.getStaticResources().getClustersList()) {
      clusters.addStaticClusters(
          ClustersConfigDump.StaticCluster.newBuilder().setCluster(Any.pack(c)).setLastUpdated(ts));
    }
    dump.add(clusters.build());
    ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder();
    RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
    for (Listener l : bootstrap.getStaticResources().getListenersList()) {
      listeners.addStaticListeners(
          ListenersConfigDump.StaticListener.newBuilder()
              .setListener(Any.pack(l))
              .setLastUpdated(ts));
      List<FilterChain> chains = new ArrayList<>(l.getFilterChainsList());
      if (l.hasDefaultFilterChain()) {
        chains.add(l.getDefaultFilterChain());
      }
      for (FilterChain chain : chains) {
        for (Filter f : chain.getFiltersList()) {
          if (f.getTypedConfig().is(HttpConnectionManager.class)) {
            try {
              HttpConnectionManager hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
              if (hcm.hasRouteConfig()) {
                routes.addStaticRouteConfigs(
                    RoutesConfigDump.StaticRouteConfig.newBuilder()
                        .setRouteConfig(Any.pack(hcm.getRouteConfig()))
                        .setLastUpdated(ts));
              }
            } catch (InvalidProtocolBufferException e) {
              // The config compiler has rejected such a filter already; nothing to dump.
            }
          }
        }
      }
    }
    dump.add(listeners.build());
    dump.add(routes.build());
    return List.copyOf(dump);
  }

  /**
   * Envoy's {@code /config_dump?resource=R&mask=M}: with {@code resource}, the elements of the
   * repeated field named R of every dump (e.g. {@code static_clusters}) instead of the dumps; with
   * {@code mask}, each config trimmed to the comma-separated field paths. Returns null when no dump
   * has a repeated message field named {@code resource}.
   *
   * @throws IllegalArgumentException when the mask names no field of a selected config
   */
  static List<Message> select(List<Message> dump, String resource, String mask) {
    List<Message> selected = new ArrayList<>();
    if (resource == null) {
      selected.addAll(dump);
    } else {
      boolean found = false;
      for (Message m : dump) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(resource);
        if (f != null && f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          found = true;
          for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
            selected.add((Message) m.getRepeatedField(f, i));
          }
        }
      }
      if (!found) {
        return null;
      }
    }
    if (mask == null) {
      return selected;
    }
    FieldMask fm = FieldMaskUtil.fromString(mask);
    List<Message> trimmed = new ArrayList<>(selected.size());
    for (Message m : selected) {
      if (!FieldMaskUtil.isValid(m.getDescriptorForType(), fm)) {
        throw new IllegalArgumentException(
            "mask " + mask + " names no field of " + m.getDescriptorForType().getFullName());
      }
      trimmed.add(FieldMaskUtil.trim(fm, m));
    }
    return trimmed;
  }

  /** Envoy's JSON: {@code {"configs":[{"@type":"...BootstrapConfigDump", ...}, ...]}}. */
  static String toJson(List<Message> dump, JsonFormat.TypeRegistry registry)
      throws InvalidProtocolBufferException {
    ConfigDump.Builder b = ConfigDump.newBuilder();
    for (Message m : dump) {
      b.addConfigs(Any.pack(m));
    }
    return JsonFormat.printer()
        .usingTypeRegistry(registry)
        .preservingProtoFieldNames()
        .print(b.build());
  }

  /**
   * The admin dump types plus the extensions weft implements; adding a descriptor adds its whole
   * file and the files it imports, so nested messages resolve too.
   */
  public static JsonFormat.TypeRegistry defaultTypeRegistry() {
    return DefaultRegistry.INSTANCE;
  }

  private static JsonFormat.TypeRegistry buildDefaultRegistry() {
    List<Descriptor> types =
        List.of(
            ConfigDump.getDescriptor(),
            BootstrapConfigDump.getDescriptor(),
            ClustersConfigDump.getDescriptor(),
            ListenersConfigDump.getDescriptor(),
            RoutesConfigDump.getDescriptor(),
            Bootstrap.getDescriptor(),
            HttpConnectionManager.getDescriptor(),
            Router.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
            HTTPFault.getDescriptor(),
            TcpProxy.getDescriptor(),
            TlsInspector.getDescriptor(),
            DownstreamTlsContext.getDescriptor(),
            UpstreamTlsContext.getDescriptor(),
            HttpProtocolOptions.getDescriptor(),
            FileAccessLog.getDescriptor(),
            StdoutAccessLog.getDescriptor(),
            StderrAccessLog.getDescriptor(),
            io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig
                .getDescriptor(),
            io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig
                .getDescriptor(),
            io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate
                .getDescriptor(),
            io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput.getDescriptor());
    return JsonFormat.TypeRegistry.newBuilder().add(types).build();
  }
}
