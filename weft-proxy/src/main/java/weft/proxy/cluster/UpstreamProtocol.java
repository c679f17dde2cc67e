package weft.proxy.cluster;

import com.google.protobuf.Any;
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

  // the cluster-level protocol fields are deprecated in favour of the typed options, but configs
  // still use them and Envoy still honours them
  @SuppressWarnings("deprecation")
  static UpstreamProtocol compile(Cluster c, ConfigPath path, ConfigProblems problems) {
    Builder b = new Builder();
    if (c.hasMaxRequestsPerConnection()) {
      b.maxRequests = Integer.toUnsignedLong(c.getMaxRequestsPerConnection().getValue());
    }
    if (c.hasHttp2ProtocolOptions()) {
      b.http2(c.getHttp2ProtocolOptions(), path.field("http2_protocol_options"), problems);
    }
    if (c.hasHttpProtocolOptions()) {
      SupportedFields.check(c.getHttpProtocolOptions(), path.field("http_protocol_options"), problems);
    }
    if (c.hasCommonHttpProtocolOptions()) {
      b.common(c.getCommonHttpProtocolOptions(), path.field("common_http_protocol_options"), problems);
    }
    for (Map.Entry<String, Any> e : c.getTypedExtensionProtocolOptionsMap().entrySet()) {
      ConfigPath p = path.field("typed_extension_protocol_options").key(e.getKey());
      if (!e.getKey().equals(OPTIONS_KEY)) {
        problems.unsupported(p, e.getKey());
        continue;
      }
      try {
        b.typed(
            e.getValue().unpack(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class),
            p,
            problems);
      } catch (InvalidProtocolBufferException ex) {
        problems.add(p, "expected " + OPTIONS_KEY + ", got " + e.getValue().getTypeUrl());
      }
    }
    return new UpstreamProtocol(b.version, b.streams, b.idle, b.maxRequests);
  }

  /** Collects the settings while the translator walks the cluster's option messages. */
  private static final class Builder {
    Version version = Version.HTTP1;
    int streams = Integer.MAX_VALUE;
    Duration idle = DEFAULT.idleTimeout();
    long maxRequests;

    void typed(
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions o,
        ConfigPath p,
        ConfigProblems problems) {
      SupportedFields.check(o, p, problems, "common_http_protocol_options", "explicit_http_config");
      if (o.hasCommonHttpProtocolOptions()) {
        common(o.getCommonHttpProtocolOptions(), p.field("common_http_protocol_options"), problems);
      }
      switch (o.getUpstreamProtocolOptionsCase()) {
        case EXPLICIT_HTTP_CONFIG -> explicit(o.getExplicitHttpConfig(), p.field("explicit_http_config"), problems);
        case UPSTREAMPROTOCOLOPTIONS_NOT_SET ->
            problems.add(p, "upstream_protocol_options is required (explicit_http_config)");
        default -> {
          String name = o.getUpstreamProtocolOptionsCase().name().toLowerCase();
          problems.unsupported(p.field(name), name);
        }
      }
    }

    void explicit(ExplicitHttpConfig x, ConfigPath p, ConfigProblems problems) {
      switch (x.getProtocolConfigCase()) {
        case HTTP_PROTOCOL_OPTIONS -> {
          version = Version.HTTP1;
          SupportedFields.check(x.getHttpProtocolOptions(), p.field("http_protocol_options"), problems);
        }
        case HTTP2_PROTOCOL_OPTIONS ->
            http2(x.getHttp2ProtocolOptions(), p.field("http2_protocol_options"), problems);
        default -> problems.unsupported(p, x.getProtocolConfigCase().name().toLowerCase());
      }
    }

    void common(HttpProtocolOptions common, ConfigPath p, ConfigProblems problems) {
      SupportedFields.check(common, p, problems, "idle_timeout", "max_requests_per_connection");
      if (common.hasIdleTimeout()) {
        idle = Durations.of(common.getIdleTimeout());
      }
      if (common.hasMaxRequestsPerConnection()) {
        maxRequests = Integer.toUnsignedLong(common.getMaxRequestsPerConnection().getValue());
      }
    }

    void http2(Http2ProtocolOptions h2, ConfigPath p, ConfigProblems problems) {
      SupportedFields.check(h2, p, problems, "max_concurrent_streams");
      version = Version.HTTP2;
      if (h2.hasMaxConcurrentStreams()) {
        // uint32 on the wire: values above 2^31-1 arrive negative
        streams = (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(h2.getMaxConcurrentStreams().getValue()));
      }
    }
  }
}
