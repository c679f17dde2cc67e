package weft.proxy.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;
import java.time.Duration;
import java.util.Map;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * How the connection pool talks HTTP to a cluster's hosts, from {@code
 * typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]} (or
 * the deprecated cluster-level {@code http2_protocol_options}/{@code common_http_protocol_options}).
 *
 * @param version HTTP/1.1 unless HTTP/2 is configured explicitly
 * @param maxConcurrentStreams HTTP/2 streams per connection (Envoy's default 2147483647)
 * @param idleTimeout close a pooled connection idle this long (Envoy's default 1 hour; zero = never)
 * @param maxRequestsPerConnection 0 = unlimited
 */
public record UpstreamProtocol(
    Version version, int maxConcurrentStreams, Duration idleTimeout, long maxRequestsPerConnection) {
  public enum Version {
    HTTP1,
    HTTP2
  }

  static final String OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  public static final UpstreamProtocol DEFAULT =
      new UpstreamProtocol(Version.HTTP1, Integer.MAX_VALUE, Duration.ofHours(1), 0);

  static UpstreamProtocol compile(Cluster c, ConfigPath path, ConfigProblems problems) {
    Version version = Version.HTTP1;
    int streams = Integer.MAX_VALUE;
    Duration idle = DEFAULT.idleTimeout();
    long maxRequests = c.hasMaxRequestsPerConnection() ? c.getMaxRequestsPerConnection().getValue() : 0;
    if (c.hasHttp2ProtocolOptions()) {
      version = Version.HTTP2;
      streams = http2(c.getHttp2ProtocolOptions(), path.field("http2_protocol_options"), problems);
    }
    if (c.hasHttpProtocolOptions()) {
      SupportedFields.check(c.getHttpProtocolOptions(), path.field("http_protocol_options"), problems);
    }
    if (c.hasCommonHttpProtocolOptions()) {
      HttpProtocolOptions common = c.getCommonHttpProtocolOptions();
      ConfigPath p = path.field("common_http_protocol_options");
      SupportedFields.check(
          common, p, problems, "idle_timeout", "max_requests_per_connection");
      if (common.hasIdleTimeout()) {
        idle = Durations.of(common.getIdleTimeout());
      }
      if (common.hasMaxRequestsPerConnection()) {
        maxRequests = common.getMaxRequestsPerConnection().getValue();
      }
    }
    for (Map.Entry<String, com.google.protobuf.Any> e :
        c.getTypedExtensionProtocolOptionsMap().entrySet()) {
      ConfigPath p = path.field("typed_extension_protocol_options").key(e.getKey());
      if (!e.getKey().equals(OPTIONS_KEY)) {
        problems.unsupported(p, e.getKey());
        continue;
      }
      io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions o;
      try {
        o = e.getValue().unpack(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class);
      } catch (InvalidProtocolBufferException ex) {
        problems.add(p, "expected " + OPTIONS_KEY + ", got " + e.getValue().getTypeUrl());
        continue;
      }
      SupportedFields.check(
          o, p, problems, "common_http_protocol_options", "explicit_http_config");
      if (o.hasCommonHttpProtocolOptions()) {
        HttpProtocolOptions common = o.getCommonHttpProtocolOptions();
        ConfigPath cp = p.field("common_http_protocol_options");
        SupportedFields.check(
            common, cp, problems, "idle_timeout", "max_requests_per_connection");
        if (common.hasIdleTimeout()) {
          idle = Durations.of(common.getIdleTimeout());
        }
        if (common.hasMaxRequestsPerConnection()) {
          maxRequests = common.getMaxRequestsPerConnection().getValue();
        }
      }
      switch (o.getUpstreamProtocolOptionsCase()) {
        case EXPLICIT_HTTP_CONFIG -> {
          ExplicitHttpConfig x = o.getExplicitHttpConfig();
          ConfigPath xp = p.field("explicit_http_config");
          switch (x.getProtocolConfigCase()) {
            case HTTP_PROTOCOL_OPTIONS -> {
              version = Version.HTTP1;
              SupportedFields.check(
                  x.getHttpProtocolOptions(), xp.field("http_protocol_options"), problems);
            }
            case HTTP2_PROTOCOL_OPTIONS -> {
              version = Version.HTTP2;
              streams =
                  http2(x.getHttp2ProtocolOptions(), xp.field("http2_protocol_options"), problems);
            }
            default -> problems.unsupported(xp, x.getProtocolConfigCase().name().toLowerCase());
          }
        }
        case UPSTREAMPROTOCOLOPTIONS_NOT_SET ->
            problems.add(p, "upstream_protocol_options is required (explicit_http_config)");
        default ->
            problems.unsupported(
                p.field(o.getUpstreamProtocolOptionsCase().name().toLowerCase()),
                o.getUpstreamProtocolOptionsCase().name().toLowerCase());
      }
    }
    return new UpstreamProtocol(version, streams, idle, maxRequests);
  }

  private static int http2(Http2ProtocolOptions h2, ConfigPath p, ConfigProblems problems) {
    SupportedFields.check(h2, p, problems, "max_concurrent_streams");
    return h2.hasMaxConcurrentStreams()
        ? (int) Math.min(Integer.MAX_VALUE, h2.getMaxConcurrentStreams().getValue())
        : Integer.MAX_VALUE;
  }
}
