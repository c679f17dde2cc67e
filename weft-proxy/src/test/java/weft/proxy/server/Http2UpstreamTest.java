package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP/2 upstream pool: streams opened on the connection handler, limits, GOAWAY, resets. */
@Timeout(60)
class Http2UpstreamTest {
  private static final String ROUTES = """
      - match: {prefix: "/"}
        route: {cluster: b}
      """;
  private static final String H2_CLUSTER = "typed_extension_protocol_options: "
      + "{envoy.extensions.upstreams.http.v3.HttpProtocolOptions: "
      + "{\"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, "
      + "explicit_http_config: {http2_protocol_options: {}}}}";

  @Test
  void opensAnotherConnectionWhenTheUpstreamsStreamLimitIsReached() throws Exception {
    int n = 5;
    try (H2FrameBackend b = new H2FrameBackend(2)) {
      List<Object[]> held = new ArrayList<>();
      // answer nothing until every request is in: all five are concurrent upstream
      b.action = (ctx, stream, path) -> {
        held.add(new Object[] {ctx, stream, path});
        if (held.size() == n) {
          for (Object[] h : held) {
            H2FrameBackend.answer((ChannelHandlerContext) h[0], (Http2FrameStream) h[1], 200,
                "ok " + h[2]);
          }
        }
      };
      try (ProxyFixture p = new ProxyFixture(ROUTES, "", "", Map.of("b", b.port()), H2_CLUSTER);
          H2FrameClient c = new H2FrameClient(p.port())) {
        List<H2FrameClient.Stream> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          all.add(c.open("GET", "/r" + i, true));
        }
        for (int i = 0; i < n; i++) {
          H2FrameClient.Stream s = all.get(i).done.get(20, TimeUnit.SECONDS);
          assertThat(s.status()).isEqualTo(200);
          assertThat(s.bodyText()).isEqualTo("ok /r" + i);
        }
        // SETTINGS_MAX_CONCURRENT_STREAMS 2: five concurrent streams need three connections
        assertThat(b.connections.get()).isEqualTo(3);
        assertThat(p.counter("cluster.b.upstream_cx_total")).isEqualTo(3);
      }
    }
  }

  @Test
  void afterAnUpstreamGoAwayNewStreamsGoToANewConnection() throws Exception {
    try (H2FrameBackend b = new H2FrameBackend(100)) {
      b.action = (ctx, stream, path) -> {
        H2FrameBackend.answer(ctx, stream, 200, "ok " + path);
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
      };
      try (ProxyFixture p = new ProxyFixture(ROUTES, "", "", Map.of("b", b.port()), H2_CLUSTER);
          H2FrameClient c = new H2FrameClient(p.port())) {
        H2FrameClient.Stream first = c.open("GET", "/one", true).done.get(10, TimeUnit.SECONDS);
        assertThat(first.status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> p.counter("cluster.b.upstream_cx_total") == 1);
        H2FrameClient.Stream second = c.open("GET", "/two", true).done.get(10, TimeUnit.SECONDS);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.bodyText()).isEqualTo("ok /two");
        assertThat(b.connections.get()).isEqualTo(2);
      }
    }
  }

  @Test
  void anUpstreamResetBeforeTheResponseIsA503AndTheClientConnectionLivesOn() throws Exception {
    try (H2FrameBackend b = new H2FrameBackend(100)) {
      b.action = (ctx, stream, path) -> {
        if (path.equals("/reset")) {
          ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR).stream(stream));
        } else {
          H2FrameBackend.answer(ctx, stream, 200, "ok " + path);
        }
      };
      try (ProxyFixture p = new ProxyFixture(ROUTES, "", "", Map.of("b", b.port()), H2_CLUSTER);
          H2FrameClient c = new H2FrameClient(p.port())) {
        H2FrameClient.Stream reset = c.open("GET", "/reset", true).done.get(10, TimeUnit.SECONDS);
        assertThat(reset.status()).isEqualTo(503);
        H2FrameClient.Stream ok = c.open("GET", "/fine", true).done.get(10, TimeUnit.SECONDS);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(p.counter("cluster.b.upstream_cx_total")).isEqualTo(1);
      }
    }
  }

  @Test
  void aClientResetMidBodyResetsTheUpstreamStream() throws Exception {
    try (H2FrameBackend b = new H2FrameBackend(100)) {
      try (ProxyFixture p = new ProxyFixture(ROUTES, "", "", Map.of("b", b.port()), H2_CLUSTER);
          H2FrameClient c = new H2FrameClient(p.port())) {
        H2FrameClient.Stream s = c.open("POST", "/upload", false);
        c.data(s, "first-piece", false);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.headersSeen.get() == 1);
        c.reset(s);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.resetsReceived.get() == 1);
        // the upstream connection is kept for other streams
        H2FrameClient.Stream ok = c.open("GET", "/after", true).done.get(10, TimeUnit.SECONDS);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(b.connections.get()).isEqualTo(1);
      }
    }
  }
}
