package weft.proxy.http;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.observe.StatsStore;

/** Translates {@code HttpConnectionManager} into an {@link HcmConfig}. */
public final class HcmCompiler {
  private HcmCompiler() {}

  /** The HTTP filters and route table the connection manager cannot build by itself. */
  public interface Extensions {
    /**
     * Compiles one entry of {@code http_filters} other than the router; records "not supported"
     * and returns null for filters weft does not implement.
     */
    HttpFilterFactory httpFilter(HttpFilter filter, String statPrefix, ConfigPath path,
        ConfigProblems problems);

    /** Compiles the terminal router with the HCM's inline {@code route_config}. */
    HttpFilterFactory router(HttpConnectionManager hcm, ConfigPath hcmPath, HttpFilter routerFilter,
        ConfigPath filterPath, ConfigProblems problems);

    /** Compiles {@code access_log} into an observer of finished streams. */
    HcmConfig.StreamObserver accessLog(HttpConnectionManager hcm, ConfigPath path,
        ConfigProblems problems);
  }

  public static HcmConfig compile(HttpConnectionManager m, ConfigPath path, ConfigProblems problems,
      StatsStore stats, Extensions ext) {
    SupportedFields.check(m, path, problems,
        "codec_type", "stat_prefix", "route_config", "rds", "http_filters", "access_log",
        "server_name", "generate_request_id", "use_remote_address", "xff_num_trusted_hops",
        "skip_xff_append", "stream_idle_timeout", "request_timeout", "request_headers_timeout",
        "common_http_protocol_options", "max_request_headers_kb", "http_protocol_options",
        "http2_protocol_options", "normalize_path", "merge_slashes", "upgrade_configs");
    if (m.getStatPrefix().isEmpty()) {
      problems.add(path.field("stat_prefix"), "must not be empty");
    }
    HcmConfig.CodecType codec = switch (m.getCodecType()) {
      case AUTO -> HcmConfig.CodecType.AUTO;
      case HTTP1 -> HcmConfig.CodecType.HTTP1;
      case HTTP2 -> HcmConfig.CodecType.HTTP2;
      case HTTP3, UNRECOGNIZED -> {
        problems.unsupported(path.field("codec_type"), m.getCodecType());
        yield HcmConfig.CodecType.AUTO;
      }
    };
    switch (m.getRouteSpecifierCase()) {
      case ROUTE_CONFIG -> { }
      case RDS -> problems.add(path.field("rds"), "rds is not supported until the xDS client");
      case SCOPED_ROUTES -> problems.unsupported(path.field("scoped_routes"), "scoped_routes");
      case ROUTESPECIFIER_NOT_SET -> problems.add(path, "route_config is required");
    }
    List<HttpFilterFactory> filters = new ArrayList<>();
    ConfigPath fp = path.field("http_filters");
    if (m.getHttpFiltersCount() == 0) {
      problems.add(fp, "must end with envoy.filters.http.router");
    }
    for (int i = 0; i < m.getHttpFiltersCount(); i++) {
      HttpFilter f = m.getHttpFilters(i);
      ConfigPath p = fp.index(i);
      SupportedFields.check(f, p, problems, "name", "typed_config", "is_optional", "disabled");
      if (f.getDisabled()) {
        problems.add(p.field("disabled"), "disabled filters (enabled per route) are not supported");
      }
      boolean router = f.getName().equals("envoy.filters.http.router")
          || f.getTypedConfig().getTypeUrl().endsWith("envoy.extensions.filters.http.router.v3.Router");
      boolean last = i == m.getHttpFiltersCount() - 1;
      if (router != last) {
        problems.add(p, router ? "envoy.filters.http.router must be the last filter"
            : "the last filter must be envoy.filters.http.router, got " + f.getName());
      }
      HttpFilterFactory factory = router
          ? ext.router(m, path, f, p, problems)
          : ext.httpFilter(f, m.getStatPrefix(), p, problems);
      if (factory != null) {
        filters.add(factory);
      }
    }
    boolean websocket = false;
    for (int i = 0; i < m.getUpgradeConfigsCount(); i++) {
      var u = m.getUpgradeConfigs(i);
      ConfigPath p = path.field("upgrade_configs").index(i);
      SupportedFields.check(u, p, problems, "upgrade_type", "enabled");
      if (!u.getUpgradeType().equalsIgnoreCase("websocket")) {
        problems.unsupported(p.field("upgrade_type"), "upgrade type " + u.getUpgradeType());
      } else {
        websocket = !u.hasEnabled() || u.getEnabled().getValue();
      }
    }
    java.time.Duration idle = java.time.Duration.ofHours(1);
    int maxHeadersCount = 100;
    if (m.hasCommonHttpProtocolOptions()) {
      HttpProtocolOptions o = m.getCommonHttpProtocolOptions();
      ConfigPath p = path.field("common_http_protocol_options");
      SupportedFields.check(o, p, problems, "idle_timeout", "max_headers_count",
          "headers_with_underscores_action");
      if (o.hasIdleTimeout()) {
        idle = duration(o.getIdleTimeout());
      }
      if (o.hasMaxHeadersCount()) {
        maxHeadersCount = o.getMaxHeadersCount().getValue();
      }
    }
    var http1 = weft.proxy.http1.Http1DecoderConfig.compile(
        m.hasMaxRequestHeadersKb() ? m.getMaxRequestHeadersKb() : null,
        m.getCommonHttpProtocolOptions(), m.getHttpProtocolOptions(), path, problems);
    int maxStreams = 0;
    int streamWindow = 0;
    int connWindow = 0;
    if (m.hasHttp2ProtocolOptions()) {
      Http2ProtocolOptions o = m.getHttp2ProtocolOptions();
      SupportedFields.check(o, path.field("http2_protocol_options"), problems,
          "max_concurrent_streams", "initial_stream_window_size", "initial_connection_window_size");
      maxStreams = o.hasMaxConcurrentStreams() ? o.getMaxConcurrentStreams().getValue() : 0;
      streamWindow = o.hasInitialStreamWindowSize() ? o.getInitialStreamWindowSize().getValue() : 0;
      connWindow = o.hasInitialConnectionWindowSize() ? o.getInitialConnectionWindowSize().getValue() : 0;
    }
    int maxKb = m.hasMaxRequestHeadersKb() ? m.getMaxRequestHeadersKb().getValue() : 60;
    HcmConfig.StreamObserver observer = m.getAccessLogCount() == 0
        ? HcmConfig.StreamObserver.NONE
        : ext.accessLog(m, path.field("access_log"), problems);
    return new HcmConfig(
        m.getStatPrefix(),
        new HcmStats(stats, m.getStatPrefix()),
        codec,
        filters,
        m.getServerName().isEmpty() ? "envoy" : m.getServerName(),
        !m.hasGenerateRequestId() || m.getGenerateRequestId().getValue(),
        m.hasUseRemoteAddress() && m.getUseRemoteAddress().getValue(),
        m.getXffNumTrustedHops(),
        m.getSkipXffAppend(),
        m.hasStreamIdleTimeout() ? duration(m.getStreamIdleTimeout()) : java.time.Duration.ofMinutes(5),
        m.hasRequestTimeout() ? duration(m.getRequestTimeout()) : java.time.Duration.ZERO,
        m.hasRequestHeadersTimeout() ? duration(m.getRequestHeadersTimeout()) : java.time.Duration.ZERO,
        idle,
        maxHeadersCount,
        maxKb,
        m.hasNormalizePath() && m.getNormalizePath().getValue(),
        m.getMergeSlashes(),
        websocket,
        maxStreams,
        streamWindow,
        connWindow,
        observer == null ? HcmConfig.StreamObserver.NONE : observer,
        http1);
  }

  static java.time.Duration duration(Duration d) {
    return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
