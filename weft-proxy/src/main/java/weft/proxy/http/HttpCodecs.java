package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Installs the connection manager on a downstream connection: HTTP/1.1, HTTP/2, or AUTO (ALPN
 * {@code h2}, else the HTTP/2 client preface, else HTTP/1.1; as Envoy's codec_type AUTO).
 */
public final class HttpCodecs {
  static final String H1_CODEC = "h1codec";
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final HcmConfig cfg;
  private final DrainSignal drain;
  private final Supplier<ChannelHandler> http1Decoder;

  /** HTTP/1.1 requests go through weft's strict decoder ({@code weft.proxy.http1}). */
  public HttpCodecs(HcmConfig cfg, DrainSignal drain) {
    this(cfg, drain, () -> new weft.proxy.http1.Http1RequestDecoder(cfg.http1()));
  }

  /**
   * {@code http1Decoder} makes the HTTP/1.1 request decoder; null uses Netty's server codec.
   */
  public HttpCodecs(HcmConfig cfg, DrainSignal drain, Supplier<ChannelHandler> http1Decoder) {
    this.cfg = cfg;
    this.drain = drain;
    this.http1Decoder = http1Decoder;
  }

  public HcmConfig config() {
    return cfg;
  }

  /** Adds the connection manager at the end of {@code p}. */
  public void install(ChannelPipeline p) {
    switch (cfg.codecType()) {
      case HTTP1 -> installHttp1(p);
      case HTTP2 -> installHttp2(p);
      case AUTO -> p.addLast("codec-detect", new Detector());
    }
  }

  private void installHttp1(ChannelPipeline p) {
    ConnectionTracker tracker = new ConnectionTracker(cfg, drain);
    if (http1Decoder != null) {
      p.addLast(H1_CODEC, http1Decoder.get());
      p.addLast(H1_CODEC + "-encoder", new io.netty.handler.codec.http.HttpResponseEncoder());
    } else {
      p.addLast(H1_CODEC, new HttpServerCodec(8192, cfg.maxRequestHeadersKb() * 1024, 65536));
    }
    p.addLast("hcm", new Http1ServerConnection(cfg, tracker, H1_CODEC));
  }

  private void installHttp2(ChannelPipeline p) {
    ConnectionTracker tracker = new ConnectionTracker(cfg, drain);
    cfg.stats().cxHttp2Total.inc();
    cfg.stats().cxHttp2Active.inc();
    p.channel().closeFuture().addListener(f -> cfg.stats().cxHttp2Active.dec());
    Http2Settings settings = Http2Settings.defaultSettings()
        .maxHeaderListSize(cfg.maxRequestHeadersKb() * 1024L);
    if (cfg.maxConcurrentStreams() > 0) {
      settings.maxConcurrentStreams(cfg.maxConcurrentStreams());
    }
    if (cfg.initialStreamWindowSize() > 0) {
      settings.initialWindowSize(cfg.initialStreamWindowSize());
    }
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
        .initialSettings(settings)
        .validateHeaders(true)
        .build();
    p.addLast("h2", codec);
    p.addLast("h2mux", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel ch) {
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
            new Http2ServerStream(cfg, tracker));
      }
    }));
    tracker.register(p.channel(), () -> {
      // GOAWAY with the last stream id lets in-flight streams finish; close when they have
      p.channel().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
      tracker.closeWhenIdle();
    });
  }

  /** codec_type AUTO: picks the codec from ALPN or the first bytes, then steps aside. */
  private final class Detector extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      boolean h2;
      if (ssl != null && "h2".equals(ssl.applicationProtocol())) {
        h2 = true;
      } else {
        int n = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
          if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
            switchTo(ctx, false);
            return;
          }
        }
        if (n < PREFACE.length) {
          return;
        }
        h2 = true;
      }
      switchTo(ctx, h2);
    }

    private void switchTo(ChannelHandlerContext ctx, boolean h2) {
      ChannelPipeline p = ctx.pipeline();
      if (h2) {
        installHttp2(p);
      } else {
        installHttp1(p);
      }
      // removing a decoder hands its buffered bytes to the codec just added
      p.remove(this);
    }
  }

}
