package weft.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop maximum throughput over HTTP/1.1 keep-alive: each connection sends its next request
 * as soon as the previous response has arrived (what wrk does), so the rate is whatever the path
 * sustains. Only responses that arrive inside the measured window count.
 */
public final class ClosedLoop {
  private ClosedLoop() {}

  public static ThroughputResult run(ClientGroup clients, LoadTarget target, int connections, Duration duration)
      throws InterruptedException {
    LongAdder ok = new LongAdder();
    LongAdder errors = new LongAdder();
    Window window = new Window();
    AtomicInteger inFlight = new AtomicInteger();
    List<Channel> channels = new ArrayList<>();
    List<Loop> loops = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Loop loop = new Loop(target, window, ok, errors, inFlight);
      loops.add(loop);
      channels.add(H1Requests.connect(clients, target, new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), loop);
        }
      }));
    }
    long start = System.nanoTime();
    window.open = true;
    for (int i = 0; i < connections; i++) {
      Channel ch = channels.get(i);
      Loop loop = loops.get(i);
      ch.eventLoop().execute(() -> loop.send(ch));
    }
    Thread.sleep(duration.toMillis());
    window.open = false;
    long okCount = ok.sum();
    long errorCount = errors.sum();
    double seconds = (System.nanoTime() - start) / 1e9;
    drainThenClose(channels, inFlight);
    return new ThroughputResult(okCount, errorCount, seconds);
  }

  /**
   * Lets the requests still in flight finish (up to 5 s) before closing, so the path under test
   * never sees a client abort mid-request between measurements (that is a different workload).
   */
  static void drainThenClose(List<Channel> channels, AtomicInteger inFlight) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    for (Channel ch : channels) {
      ch.close().awaitUninterruptibly();
    }
  }

  /** Read by every connection's loop; written by the caller's thread. */
  static final class Window {
    volatile boolean open;
  }

  private static final class Loop extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final LoadTarget target;
    private final Window window;
    private final LongAdder ok;
    private final LongAdder errors;
    private final AtomicInteger inFlight;
    private boolean waiting;

    Loop(LoadTarget target, Window window, LongAdder ok, LongAdder errors, AtomicInteger inFlight) {
      this.target = target;
      this.window = window;
      this.ok = ok;
      this.errors = errors;
      this.inFlight = inFlight;
    }

    void send(Channel ch) {
      waiting = true;
      inFlight.incrementAndGet();
      H1Requests.send(ch, target);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
      if (waiting) {
        waiting = false;
        inFlight.decrementAndGet();
      }
      if (!window.open) {
        return;
      }
      (res.status().code() == 200 ? ok : errors).increment();
      send(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (waiting) {
        waiting = false;
        inFlight.decrementAndGet();
        if (window.open) {
          errors.increment();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
