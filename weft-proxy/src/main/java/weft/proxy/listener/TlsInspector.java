package weft.proxy.listener;

import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.observe.Counter;
import weft.proxy.observe.StatsStore;

/**
 * Envoy's {@code envoy.filters.listener.tls_inspector}: peeks at a new connection's first bytes.
 * A TLS ClientHello gives {@code transport_protocol = "tls"}, its SNI and its ALPN list; anything
 * else (or a malformed hello) is {@code raw_buffer}. It consumes nothing: once it knows, it stores
 * the {@link Result} in the channel attribute {@link #RESULT}, fires it as a user event (so the
 * next handler can select the filter chain and install it behind this one), then removes itself,
 * which hands every buffered byte, untouched, to what follows (TLS handler, HTTP codec, tcp_proxy).
 *
 * <p>A ClientHello larger than the maximum (64 KiB, as Envoy) closes the connection. A connection
 * that stays silent past the timeout is closed, or with {@code continueOnTimeout} carries on as
 * {@code raw_buffer} (Envoy's {@code listener_filters_timeout} and
 * {@code continue_on_listener_filters_timeout}). One instance per connection, on its event loop.
 */
public final class TlsInspector extends ByteToMessageDecoder {
  /** Envoy's limit on a ClientHello, {@code TLS_MAX_CLIENT_HELLO}. */
  public static final int MAX_CLIENT_HELLO_SIZE = 64 * 1024;
  public static final AttributeKey<Result> RESULT = AttributeKey.valueOf(TlsInspector.class, "result");
  public static final String TYPE =
      "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector";

  /** What was detected; {@code serverName} is "" and {@code applicationProtocols} empty when absent. */
  public record Result(String transportProtocol, String serverName, List<String> applicationProtocols) {
    public static final Result RAW_BUFFER = new Result("raw_buffer", "", List.of());

    public Result {
      applicationProtocols = List.copyOf(applicationProtocols);
    }
  }

  /** Envoy's {@code tls_inspector.*} counters; make once per proxy and share. */
  public record Stats(Counter tlsFound, Counter tlsNotFound, Counter sniFound, Counter sniNotFound,
      Counter alpnFound, Counter alpnNotFound, Counter clientHelloTooLarge, Counter timeout) {
    public static Stats create(StatsStore store) {
      return new Stats(store.counter("tls_inspector.tls_found"), store.counter("tls_inspector.tls_not_found"),
          store.counter("tls_inspector.sni_found"), store.counter("tls_inspector.sni_not_found"),
          store.counter("tls_inspector.alpn_found"), store.counter("tls_inspector.alpn_not_found"),
          store.counter("tls_inspector.client_hello_too_large"), store.counter("tls_inspector.timeout"));
    }
  }

  private final Stats stats;
  private final long timeoutMillis;
  private final boolean continueOnTimeout;
  private final TlsClientHello hello;
  private Future<?> timer;
  private boolean decided;

  /**
   * @param timeoutMillis how long to wait for enough bytes; 0 waits forever
   * @param continueOnTimeout on timeout, carry on as raw_buffer instead of closing
   */
  public TlsInspector(Stats stats, long timeoutMillis, boolean continueOnTimeout) {
    this(stats, timeoutMillis, continueOnTimeout, MAX_CLIENT_HELLO_SIZE);
  }

  public TlsInspector(Stats stats, long timeoutMillis, boolean continueOnTimeout, int maxClientHelloSize) {
    this.stats = stats;
    this.timeoutMillis = timeoutMillis;
    this.continueOnTimeout = continueOnTimeout;
    this.hello = new TlsClientHello(maxClientHelloSize);
  }

  /**
   * Validates a listener filter entry naming the TLS inspector. {@code initial_read_buffer_size}
   * is accepted: it only sizes Envoy's first read, and Netty sizes reads itself; JA3/JA4
   * fingerprinting is refused.
   */
  public static void checkConfig(TypedExtensionConfig filter, ConfigPath path, ConfigProblems problems) {
    if (!filter.getTypedConfig().getTypeUrl().equals(TYPE)) {
      problems.add(path.field("typed_config"), "type " + filter.getTypedConfig().getTypeUrl()
          + " is not the tls inspector (expected: " + TYPE + ")");
      return;
    }
    try {
      var cfg = filter.getTypedConfig()
          .unpack(io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.class);
      SupportedFields.check(cfg, path.field("typed_config"), problems,
          "initial_read_buffer_size", "enable_ja3_fingerprinting");
      if (cfg.getEnableJa3Fingerprinting().getValue()) {
        problems.add(path.field("typed_config").field("enable_ja3_fingerprinting"), "true is not supported");
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      problems.add(path.field("typed_config"), "cannot decode tls inspector config: " + e.getMessage());
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      startTimer(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    startTimer(ctx);
    super.channelActive(ctx);
  }

  private void startTimer(ChannelHandlerContext ctx) {
    if (timeoutMillis > 0 && timer == null) {
      timer = ctx.executor().schedule(() -> onTimeout(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void onTimeout(ChannelHandlerContext ctx) {
    if (decided || ctx.isRemoved()) {
      return;
    }
    stats.timeout().inc();
    if (continueOnTimeout) {
      decide(ctx, Result.RAW_BUFFER);
    } else {
      decided = true;
      ctx.close();
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (decided) {
      return;
    }
    switch (hello.parse(in)) {
      case NEED_MORE -> { }
      case NOT_TLS -> {
        stats.tlsNotFound().inc();
        decide(ctx, Result.RAW_BUFFER);
      }
      case TOO_LARGE -> {
        stats.clientHelloTooLarge().inc();
        decided = true;
        in.skipBytes(in.readableBytes());
        ctx.close();
      }
      case DONE -> {
        stats.tlsFound().inc();
        (hello.serverName().isEmpty() ? stats.sniNotFound() : stats.sniFound()).inc();
        (hello.alpn().isEmpty() ? stats.alpnNotFound() : stats.alpnFound()).inc();
        decide(ctx, new Result("tls", hello.serverName(), hello.alpn()));
      }
    }
  }

  private void decide(ChannelHandlerContext ctx, Result result) {
    decided = true;
    ctx.channel().attr(RESULT).set(result);
    // the event's receiver may install handlers behind us; our removal then feeds them the bytes
    ctx.fireUserEventTriggered(result);
    if (!ctx.isRemoved() && ctx.channel().isOpen()) {
      ctx.pipeline().remove(this);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
