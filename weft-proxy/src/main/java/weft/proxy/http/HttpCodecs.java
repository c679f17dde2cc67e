package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
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
  /**
   * Receive windows when http2_protocol_options leaves them unset. Envoy documents 256 MiB for
   * both, its window doubling as a soft per-stream buffer limit; weft has no per-stream buffer
   * watermarks behind the window yet, so it stays far smaller (Envoy's edge best practice is 64 KiB
   * per stream, 1 MiB per connection): 256 KiB per stream and 1 MiB per connection, large enough
   * that the 64 KiB protocol default is no longer a per-connection serialisation point for uploads.
   */
  static final int DEFAULT_STREAM_WINDOW = 256 * 1024;
  static final int DEFAULT_CONNECTION_WINDOW = 1024 * 1024;
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

  /**
   * Flushes once per event-loop turn instead of once per written message: a response relayed from
   * an upstream read (head, then body) and the responses of several HTTP/2 streams answered in the
   * same turn leave in one write (and one TLS record run), as Envoy writes once per dispatcher
   * iteration. During this connection's own reads the flush waits for channelReadComplete.
   */
  static void installFlushConsolidation(ChannelPipeline p) {
    p.addLast("flush", new FlushConsolidationHandler(
        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
  }

  private void installHttp1(ChannelPipeline p) {
    ConnectionTracker tracker = new ConnectionTracker(cfg, drain);
    installFlushConsolidation(p);
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
    settings.initialWindowSize(cfg.initialStreamWindowSize() > 0
        ? cfg.initialStreamWindowSize() : DEFAULT_STREAM_WINDOW);
    Http2ServerConnection h2 = Http2ServerConnection.create(cfg, tracker, settings,
        cfg.initialConnectionWindowSize() > 0
            ? cfg.initialConnectionWindowSize() : DEFAULT_CONNECTION_WINDOW);
    installFlushConsolidation(p);
    p.addLast("h2", h2);
    // GOAWAY with the last stream id lets in-flight streams finish; close when they have
    tracker.register(p.channel(), h2::drain);
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
