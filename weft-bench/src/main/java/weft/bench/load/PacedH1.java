package weft.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/** HTTP/1.1 keep-alive: one request in flight; a late response delays (and so charges) the next one. */
final class PacedH1 extends SimpleChannelInboundHandler<FullHttpResponse> implements OpenLoop.Paced {
  private final LoadTarget target;
  private final Recorder recorder;
  private final LongAdder ok;
  private final LongAdder errors;
  private Channel ch;
  private long interval;
  private long end;
  private long next;
  private long inFlight = -1;
  private long intended;
  private boolean stopped;
  private volatile boolean awaiting;

  PacedH1(LoadTarget target, Recorder recorder, LongAdder ok, LongAdder errors) {
    this.target = target;
    this.recorder = recorder;
    this.ok = ok;
    this.errors = errors;
  }

  @Override
  public void install(ChannelPipeline p) {
    p.addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), this);
  }

  @Override
  public Future<?> ready() {
    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
  }

  @Override
  public void begin(Channel ch, long firstIntended, long intervalNanos, long end) {
    this.ch = ch;
    this.interval = intervalNanos;
    this.end = end;
    this.next = firstIntended;
    sendWhenDue();
  }

  private void sendWhenDue() {
    if (stopped || next >= end) {
      return;
    }
    long wait = next - System.nanoTime();
    if (wait > 0) {
      ch.eventLoop().schedule(this::sendNow, wait, TimeUnit.NANOSECONDS);
    } else {
      sendNow();
    }
  }

  private void sendNow() {
    if (stopped) {
      return;
    }
    inFlight = next;
    next += interval;
    intended++;
    awaiting = true;
    H1Requests.send(ch, target);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
    awaiting = false;
    if (inFlight < 0 || stopped) {
      return;
    }
    recorder.recordValue(Math.max(0, (System.nanoTime() - inFlight) / 1000));
    (res.status().code() == 200 ? ok : errors).increment();
    inFlight = -1;
    sendWhenDue();
  }

  @Override
  public void finish(long end) {
    stopped = true;
    long now = System.nanoTime();
    if (inFlight >= 0) {
      recorder.recordValue(Math.max(0, (now - inFlight) / 1000));
      errors.increment();
    }
    // requests that were due but never sent because this connection was still waiting
    for (long t = next; t < end; t += interval) {
      recorder.recordValue(Math.max(0, (now - t) / 1000));
      errors.increment();
      intended++;
    }
  }

  @Override
  public boolean awaitingResponses() {
    return awaiting;
  }

  @Override
  public long intended() {
    return intended;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    awaiting = false;
    if (!stopped && inFlight >= 0) {
      errors.increment();
      inFlight = -1;
    }
    stopped = true;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
