package weft.proxy.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ServerInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import weft.proxy.observe.PrometheusText;
import weft.proxy.observe.StatsQuery;
import weft.proxy.observe.StatsStore;
import weft.proxy.observe.StatsText;

/** Answers one admin request; one instance per admin connection, used on its event loop. */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final String TEXT = "text/plain; charset=UTF-8";
  private static final String JSON = "application/json";

  /** Envoy's endpoints and help texts, in Envoy's (sorted) order; printed for unknown paths. */
  private static final Map<String, String> HELP =
      new java.util.TreeMap<>(
          Map.ofEntries(
              Map.entry("/", "Admin home page"),
              Map.entry("/clusters", "upstream cluster status"),
              Map.entry("/config_dump", "dump current Envoy configs (experimental)"),
              Map.entry("/healthcheck/fail", "cause the server to fail health checks"),
              Map.entry("/healthcheck/ok", "cause the server to pass health checks"),
              Map.entry("/quitquitquit", "exit the server"),
              Map.entry("/ready", "print server state, return 200 if LIVE, otherwise return 503"),
              Map.entry("/reopen_logs", "reopen access logs"),
              Map.entry("/server_info", "print server version/status information"),
              Map.entry("/stats", "print server stats"),
              Map.entry("/stats/prometheus", "print server stats in prometheus format")));

  private final AdminSources sources;
  private final AtomicBoolean healthCheckFailed;
  private final long startedNanos;

  AdminHandler(AdminSources sources, AtomicBoolean healthCheckFailed, long startedNanos) {
    this.sources = sources;
    this.healthCheckFailed = healthCheckFailed;
    this.startedNanos = startedNanos;
  }

  private record Reply(HttpResponseStatus status, String contentType, String body) {
    static Reply text(HttpResponseStatus status, String body) {
      return new Reply(status, TEXT, body);
    }

    static Reply ok(String body) {
      return text(HttpResponseStatus.OK, body);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    Reply reply;
    if (!req.decoderResult().isSuccess()) {
      reply = Reply.text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
    } else {
      QueryStringDecoder uri = new QueryStringDecoder(req.uri());
      try {
        reply = route(req.method(), uri.path(), uri.parameters());
      } catch (IllegalArgumentException e) {
        reply = Reply.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
      } catch (RuntimeException e) {
        reply = Reply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "admin error: " + e + "\n");
      }
    }
    count(reply.status().code());
    write(ctx, req, reply);
  }

  private Reply route(HttpMethod method, String path, Map<String, List<String>> params) {
    ServerState state = state();
    // Keep Envoy's server.state gauge current for /stats readers (e.g. docker HEALTHCHECKs).
    sources.stats().gauge("server.state").set(state.gaugeValue());
    return switch (path) {
      case "/ready" ->
          Reply.text(
              state == ServerState.LIVE
                  ? HttpResponseStatus.OK
                  : HttpResponseStatus.SERVICE_UNAVAILABLE,
              state.name() + "\n");
      case "/stats" -> stats(params);
      case "/stats/prometheus" ->
          new Reply(
              HttpResponseStatus.OK, TEXT, PrometheusText.render(sources.stats(), query(params)));
      case "/clusters" -> clusters(params);
      case "/config_dump" -> configDump(params);
      case "/server_info" -> serverInfo(state);
      case "/healthcheck/fail" -> mutate(method, path, () -> healthCheckFailed.set(true));
      case "/healthcheck/ok" -> mutate(method, path, () -> healthCheckFailed.set(false));
      case "/quitquitquit" -> quit(method, path);
      case "/reopen_logs" -> mutate(method, path, sources::reopenAccessLogs);
      case "/" -> Reply.ok(help());
      default -> Reply.text(HttpResponseStatus.NOT_FOUND, "invalid path. " + help());
    };
  }

  private ServerState state() {
    return ServerState.of(sources.initialized(), healthCheckFailed.get());
  }

  private Reply stats(Map<String, List<String>> params) {
    String format = param(params, "format");
    StatsQuery query = query(params);
    if (format == null || format.equals("text")) {
      return Reply.ok(StatsText.text(sources.stats(), query));
    }
    return switch (format) {
      case "json" -> new Reply(HttpResponseStatus.OK, JSON, StatsText.json(sources.stats(), query));
      case "prometheus" -> Reply.ok(PrometheusText.render(sources.stats(), query));
      default ->
          throw new IllegalArgumentException(
              "invalid format " + format + " (expected: text, json or prometheus)");
    };
  }

  private static StatsQuery query(Map<String, List<String>> params) {
    return StatsQuery.of(
        param(params, "filter"),
        params.containsKey("usedonly"),
        StatsQuery.Type.parse(param(params, "type")));
  }

  private Reply clusters(Map<String, List<String>> params) {
    String format = param(params, "format");
    if (format == null || format.equals("text")) {
      return Reply.ok(sources.clustersText());
    }
    String json = format.equals("json") ? sources.clustersJson() : null;
    if (json == null) {
      throw new IllegalArgumentException("format " + format + " is not supported for /clusters");
    }
    return new Reply(HttpResponseStatus.OK, JSON, json);
  }

  private Reply configDump(Map<String, List<String>> params) {
    for (String p : params.keySet()) {
      if (!p.equals("resource") && !p.equals("mask")) {
        throw new IllegalArgumentException("/config_dump parameter " + p + " is not supported");
      }
    }
    String resource = param(params, "resource");
    List<com.google.protobuf.Message> dump =
        ConfigDumps.select(sources.configDump(), resource, param(params, "mask"));
    if (dump == null) {
      return Reply.text(
          HttpResponseStatus.NOT_FOUND, "resource " + resource + " not found in config dump\n");
    }
    try {
      return new Reply(
          HttpResponseStatus.OK, JSON, ConfigDumps.toJson(dump, sources.typeRegistry()) + "\n");
    } catch (InvalidProtocolBufferException e) {
      return Reply.text(
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "cannot print config dump: " + e.getMessage() + "\n");
    }
  }

  private Reply serverInfo(ServerState state) {
    long uptime = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    ServerInfo info =
        ServerInfo.newBuilder()
            .setVersion(sources.version())
            .setState(ServerInfo.State.valueOf(state.name()))
            .setHotRestartVersion("disabled")
            .setNode(sources.node())
            .setUptimeCurrentEpoch(com.google.protobuf.Duration.newBuilder().setSeconds(uptime))
            .setUptimeAllEpochs(com.google.protobuf.Duration.newBuilder().setSeconds(uptime))
            .build();
    try {
      return new Reply(
          HttpResponseStatus.OK,
          JSON,
          JsonFormat.printer().includingDefaultValueFields().preservingProtoFieldNames().print(info)
              + "\n");
    } catch (InvalidProtocolBufferException e) {
      return Reply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage() + "\n");
    }
  }

  /** Envoy refuses GET on endpoints that change server state. */
  private static Reply mutate(HttpMethod method, String path, Runnable action) {
    if (!HttpMethod.POST.equals(method)) {
      return Reply.text(
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          "method " + method + " not allowed for " + path + ", POST required\n");
    }
    action.run();
    return Reply.ok("OK\n");
  }

  private Reply quit(HttpMethod method, String path) {
    if (!HttpMethod.POST.equals(method)) {
      return mutate(method, path, () -> {});
    }
    return sources.requestShutdown()
        ? Reply.ok("OK\n")
        : Reply.text(HttpResponseStatus.FORBIDDEN, "/quitquitquit is disabled on this server\n");
  }

  /** Envoy's admin connection manager stats ({@code http.admin.downstream_rq_*}). */
  private void count(int status) {
    StatsStore stats = sources.stats();
    stats.counter("http.admin.downstream_rq_total").inc();
    int cls = status / 100;
    if (cls >= 1 && cls <= 5) {
      stats.counter(ADMIN_RQ_CLASS[cls]).inc();
    }
  }

  private static final String[] ADMIN_RQ_CLASS = {
    null,
    "http.admin.downstream_rq_1xx",
    "http.admin.downstream_rq_2xx",
    "http.admin.downstream_rq_3xx",
    "http.admin.downstream_rq_4xx",
    "http.admin.downstream_rq_5xx"
  };

  private static String help() {
    StringBuilder sb = new StringBuilder("admin commands are:\n");
    HELP.forEach(
        (path, text) -> sb.append("  ").append(path).append(": ").append(text).append('\n'));
    return sb.toString();
  }

  private static String param(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static void write(ChannelHandlerContext ctx, FullHttpRequest req, Reply reply) {
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reply.body());
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), body);
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, max-age=0");
    resp.headers().set("x-content-type-options", "nosniff");
    HttpUtil.setContentLength(resp, body.readableBytes());
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(resp, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(resp);
    } else {
      ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
