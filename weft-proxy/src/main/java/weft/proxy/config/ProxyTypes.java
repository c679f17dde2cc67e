package weft.proxy.config;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import java.util.List;

/**
 * Every {@code @type} weft accepts inside a bootstrap: the extensions it implements. Anything
 * else fails at load time; an extension listed here but not honoured where it appears is refused
 * by the translator reading it.
 */
public final class ProxyTypes {
  private static final List<Descriptor> TYPES = List.of(
      io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor(),
      io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor(),
      io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor(),
      io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor(),
      io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor(),
      io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor(),
      io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor(),
      io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog.getDescriptor(),
      io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig.getDescriptor(),
      io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig.getDescriptor(),
      io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDescriptor(),
      io.envoyproxy.envoy.config.rbac.v3.Action.getDescriptor(),
      io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput.getDescriptor(),
      io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.getDescriptor());

  private static final TypeRegistry REGISTRY = TypeRegistry.newBuilder().add(TYPES).build();

  private ProxyTypes() {}

  public static TypeRegistry registry() {
    return REGISTRY;
  }

  /** The full name inside a type URL: {@code type.googleapis.com/a.b.C} -> {@code a.b.C}. */
  public static String typeName(Any any) {
    String url = any.getTypeUrl();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /**
   * Unpacks {@code any} as {@code type}; records "expected X, got Y" and returns null otherwise.
   */
  public static <T extends Message> T unpack(
      Any any, Class<T> type, ConfigPath path, ConfigProblems problems) {
    try {
      if (!any.is(type)) {
        problems.add(path.field("typed_config"),
            "@type " + typeName(any) + " is not supported here (expected: "
                + type.getName().replace("io.envoyproxy.", "") + ")");
        return null;
      }
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      problems.add(path.field("typed_config"), "cannot decode " + typeName(any) + ": " + e.getMessage());
      return null;
    }
  }
}
