package weft.proxy.observe;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * Compiles Envoy's gRPC access loggers, {@code envoy.access_loggers.http_grpc} ({@code
 * HttpGrpcAccessLogConfig}) and {@code envoy.access_loggers.tcp_grpc} ({@code
 * TcpGrpcAccessLogConfig}), into {@link AccessLogger}s that stream {@code HTTPAccessLogEntry} /
 * {@code TCPAccessLogEntry} protos to an {@code AccessLogService} through the runtime's {@link
 * GrpcAccessLogSink}.
 *
 * <p>{@code CommonGrpcAccessLogConfig}: {@code log_name} (required), {@code grpc_service} ({@code
 * envoy_grpc.cluster_name}: a cluster of this proxy, plaintext or with its TLS transport socket; {@code google_grpc.target_uri}
 * plaintext, without credentials; {@code timeout} is accepted and unused, as Envoy ignores it for
 * streams), {@code transport_api_version} (V3; unset means V3), {@code buffer_flush_interval}
 * (default 1 s), {@code buffer_size_bytes} (default 16384), {@code custom_tags} (literal,
 * environment, request_header). Not supported, reported by path: {@code
 * filter_state_objects_to_log}, {@code grpc_stream_retry_policy}, metadata tags,
 * channel credentials.
 */
public final class GrpcAccessLogs {
  static final String HTTP_NAME = "envoy.access_loggers.http_grpc";
  static final String TCP_NAME = "envoy.access_loggers.tcp_grpc";
  private static final long DEFAULT_BUFFER_BYTES = 16_384;
  private static final long DEFAULT_FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private GrpcAccessLogs() {}

  /** How a logger finds the hosts of an {@code envoy_grpc} cluster. */
  @FunctionalInterface
  public interface Clusters {
    /**
     * The named cluster as a gRPC target, or null after recording a problem at {@code path}
     * (unknown cluster).
     */
    Collector collector(String cluster, ConfigPath path, ConfigProblems problems);
  }

  /**
   * An {@code envoy_grpc} cluster as a gRPC channel needs it.
   *
   * @param hosts a picker of the cluster's current host (null when it has none)
   * @param tls the cluster's transport socket as a gRPC client context (ALPN h2), null: plaintext
   */
  public record Collector(Supplier<InetSocketAddress> hosts, io.netty.handler.ssl.SslContext tls) {}

  /**
   * What compiling a gRPC logger needs from the runtime. A null {@code generation} validates the
   * config only (e.g. a control plane checking its output): its loggers send nothing.
   */
  public record Context(GrpcAccessLogSink.Generation generation, Clusters clusters) {}

  /** A {@code request_header} custom tag: the header's value, or the default when absent. */
  private record HeaderTag(String tag, String header, String defaultValue) {}

  /** Whether {@code any} is one of the gRPC logger configs. */
  static boolean handles(Any any) {
    return any.is(HttpGrpcAccessLogConfig.class) || any.is(TcpGrpcAccessLogConfig.class);
  }

  /** The logger for {@code any} (a handled type); null after recording problems. */
  static AccessLogger compile(Any any, ConfigPath path, ConfigProblems problems, Context ctx)
      throws InvalidProtocolBufferException {
    if (any.is(HttpGrpcAccessLogConfig.class)) {
      HttpGrpcAccessLogConfig c = any.unpack(HttpGrpcAccessLogConfig.class);
      SupportedFields.check(c, path, problems, "common_config",
          "additional_request_headers_to_log", "additional_response_headers_to_log",
          "additional_response_trailers_to_log");
      var extra = new AccessLogEntries.ExtraHeaders(lower(c.getAdditionalRequestHeadersToLogList()),
          lower(c.getAdditionalResponseHeadersToLogList()),
          lower(c.getAdditionalResponseTrailersToLogList()));
      return logger(c.getCommonConfig(), c.hasCommonConfig(), GrpcLogStream.Kind.HTTP, extra,
          path.field("common_config"), problems, ctx);
    }
    TcpGrpcAccessLogConfig c = any.unpack(TcpGrpcAccessLogConfig.class);
    SupportedFields.check(c, path, problems, "common_config");
    return logger(c.getCommonConfig(), c.hasCommonConfig(), GrpcLogStream.Kind.TCP,
        AccessLogEntries.ExtraHeaders.NONE, path.field("common_config"), problems, ctx);
  }

  private static List<String> lower(List<String> names) {
    List<String> out = new ArrayList<>(names.size());
    names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    return out;
  }

  private static AccessLogger logger(CommonGrpcAccessLogConfig c, boolean present,
      GrpcLogStream.Kind kind, AccessLogEntries.ExtraHeaders extra, ConfigPath path,
      ConfigProblems problems, Context ctx) {
    if (!present) {
      problems.add(path, "common_config is required");
      return null;
    }
    int before = problems.list().size();
    SupportedFields.check(c, path, problems, "log_name", "grpc_service", "transport_api_version",
        "buffer_flush_interval", "buffer_size_bytes", "custom_tags");
    if (c.getLogName().isEmpty()) {
      problems.add(path.field("log_name"), "log_name is required");
    }
    if (c.getTransportApiVersion() != ApiVersion.V3 && c.getTransportApiVersion() != ApiVersion.AUTO) {
      problems.add(path.field("transport_api_version"),
          c.getTransportApiVersion() + " is not supported (expected: V3)");
    }
    long flushNanos = DEFAULT_FLUSH_NANOS;
    if (c.hasBufferFlushInterval()) {
      var d = c.getBufferFlushInterval();
      flushNanos = TimeUnit.SECONDS.toNanos(d.getSeconds()) + d.getNanos();
      if (flushNanos <= 0) {
        problems.add(path.field("buffer_flush_interval"),
            "buffer_flush_interval " + flushNanos + "ns (expected: > 0)");
      }
    }
    long bufferBytes = c.hasBufferSizeBytes()
        ? Integer.toUnsignedLong(c.getBufferSizeBytes().getValue()) : DEFAULT_BUFFER_BYTES;
    Map<String, String> fixedTags = new HashMap<>();
    List<HeaderTag> headerTags = new ArrayList<>();
    for (int i = 0; i < c.getCustomTagsCount(); i++) {
      tag(c.getCustomTags(i), path.field("custom_tags").index(i), problems, fixedTags, headerTags);
    }
    Supplier<InetSocketAddress> hosts = null;
    io.netty.handler.ssl.SslContext tls = null;
    GrpcLogStream.Target target = null;
    if (!c.hasGrpcService()) {
      problems.add(path.field("grpc_service"), "grpc_service is required");
    } else {
      ConfigPath gp = path.field("grpc_service");
      GrpcService g = c.getGrpcService();
      SupportedFields.check(g, gp, problems, "envoy_grpc", "google_grpc", "timeout");
      switch (g.getTargetSpecifierCase()) {
        case ENVOY_GRPC -> {
          ConfigPath ep = gp.field("envoy_grpc");
          SupportedFields.check(g.getEnvoyGrpc(), ep, problems, "cluster_name");
          String cluster = g.getEnvoyGrpc().getClusterName();
          if (cluster.isEmpty()) {
            problems.add(ep.field("cluster_name"), "cluster_name is required");
          } else {
            Collector col = ctx.clusters().collector(cluster, ep.field("cluster_name"), problems);
            if (col != null) {
              hosts = col.hosts();
              tls = col.tls();
            }
            target = new GrpcLogStream.ClusterTarget(cluster);
          }
        }
        case GOOGLE_GRPC -> {
          ConfigPath ep = gp.field("google_grpc");
          // channel_credentials, call_credentials and the rest are refused here by path
          SupportedFields.check(g.getGoogleGrpc(), ep, problems, "target_uri", "stat_prefix");
          String uri = g.getGoogleGrpc().getTargetUri();
          if (uri.isEmpty()) {
            problems.add(ep.field("target_uri"), "target_uri is required");
          } else {
            target = new GrpcLogStream.UriTarget(uri);
          }
        }
        case TARGETSPECIFIER_NOT_SET ->
            problems.add(gp, "grpc_service sets neither envoy_grpc nor google_grpc");
      }
    }
    if (problems.list().size() != before || target == null) {
      return null;
    }
    if (ctx.generation() == null) {
      return r -> {}; // validation only: see Context
    }
    GrpcAccessLogSink sink = ctx.generation().sink();
    GrpcLogStream stream = sink.stream(
        new GrpcLogStream.Key(target, c.getLogName(), kind, flushNanos, bufferBytes), hosts, tls,
        ctx.generation().id());
    Map<String, String> tags = Map.copyOf(fixedTags);
    List<HeaderTag> perRequest = List.copyOf(headerTags);
    if (kind == GrpcLogStream.Kind.HTTP) {
      return r -> sink.offer(stream, AccessLogEntries.http(r, extra, tags(r, tags, perRequest)));
    }
    return r -> sink.offer(stream, AccessLogEntries.tcp(r, tags(r, tags, perRequest)));
  }

  private static void tag(CustomTag t, ConfigPath path, ConfigProblems problems,
      Map<String, String> fixed, List<HeaderTag> headers) {
    SupportedFields.check(t, path, problems, "tag", "literal", "environment", "request_header");
    if (t.getTag().isEmpty()) {
      problems.add(path.field("tag"), "tag is required");
    }
    switch (t.getTypeCase()) {
      case LITERAL -> fixed.put(t.getTag(), t.getLiteral().getValue());
      case ENVIRONMENT -> {
        // Envoy reads the variable once, when the config is loaded
        String v = System.getenv(t.getEnvironment().getName());
        String value = v != null ? v : t.getEnvironment().getDefaultValue();
        if (!value.isEmpty()) {
          fixed.put(t.getTag(), value);
        }
      }
      case REQUEST_HEADER -> headers.add(new HeaderTag(t.getTag(),
          t.getRequestHeader().getName().toLowerCase(Locale.ROOT),
          t.getRequestHeader().getDefaultValue()));
      case METADATA -> problems.unsupported(path.field("metadata"), "metadata custom tag");
      case TYPE_NOT_SET -> problems.add(path, "custom tag sets none of literal, environment, "
          + "request_header");
    }
  }

  private static Map<String, String> tags(AccessLogRecord r, Map<String, String> fixed,
      List<HeaderTag> headers) {
    if (headers.isEmpty()) {
      return fixed;
    }
    Map<String, String> out = new HashMap<>(fixed);
    HttpHeaders h = r.requestHeaders();
    for (HeaderTag t : headers) {
      String v = h == null ? null : h.get(t.header());
      String value = v != null ? v : t.defaultValue();
      if (!value.isEmpty()) {
        out.put(t.tag(), value);
      }
    }
    return out;
  }
}
