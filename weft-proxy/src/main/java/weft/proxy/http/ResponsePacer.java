package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Paces a response body at a fixed rate, as Envoy's StreamRateLimiter (fault filter
 * response_rate_limit): every 50 ms up to one twentieth of the per-second budget goes out.
 * Confined to the stream's event loop.
 */
final class ResponsePacer {
  private static final long TICK_MS = 50;
  private final EventLoop loop;
  private final long bytesPerTick;
  private final Consumer<HttpContent> out;
  private final ArrayDeque<HttpContent> queue = new ArrayDeque<>();
  private ScheduledFuture<?> timer;
  private boolean closed;

  ResponsePacer(EventLoop loop, long kibPerSecond, Consumer<HttpContent> out) {
    this.loop = loop;
    this.bytesPerTick = Math.max(1, kibPerSecond * 1024 / (1000 / TICK_MS));
    this.out = out;
  }

  void add(HttpContent c) {
    queue.add(c);
    if (timer == null) {
      drain();
    }
  }

  private void drain() {
    timer = null;
    long budget = bytesPerTick;
    while (!queue.isEmpty() && !closed) {
      HttpContent c = queue.peek();
      ByteBuf b = c.content();
      if (b.readableBytes() <= budget) {
        budget -= b.readableBytes();
        out.accept(queue.poll());
        continue;
      }
      if (budget > 0) {
        out.accept(new DefaultHttpContent(b.readRetainedSlice((int) budget)));
      }
      break;
    }
    if (!queue.isEmpty() && !closed) {
      timer = loop.schedule(this::drain, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** The stream ended early: drop what is queued. */
  void close() {
    closed = true;
    if (timer != null) {
      timer.cancel(false);
    }
    queue.forEach(HttpContent::release);
    queue.clear();
  }
}
