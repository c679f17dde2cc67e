package weft.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsAckFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/** h2c with prior knowledge: each request is a new stream sent at its intended time, however many are open. */
final class PacedH2 extends Http2ChannelDuplexHandler implements OpenLoop.Paced {
  private static final class Pending {
    final long intended;
    boolean ok;

    Pending(long intended) {
      this.intended = intended;
    }
  }

  private final LoadTarget target;
  private final Recorder recorder;
  private final LongAdder ok;
  private final LongAdder errors;
  private final Map<Http2FrameStream, Pending> open = new HashMap<>();
  private final Promise<Void> settled = ImmediateEventExecutor.INSTANCE.newPromise();
  private ChannelHandlerContext ctx;
  private Channel ch;
  private long interval;
  private long end;
  private long next;
  private long intended;
  private boolean stopped;
  private volatile int outstanding;

  PacedH2(LoadTarget target, Recorder recorder, LongAdder ok, LongAdder errors) {
    this.target = target;
    this.recorder = recorder;
    this.ok = ok;
    this.errors = errors;
  }

  @Override
  public void install(ChannelPipeline p) {
    Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20))
        .build();
    p.addLast(codec, this);
  }

  @Override
  protected void handlerAdded0(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> ready() {
    return settled;
  }

  @Override
  public void begin(Channel ch, long firstIntended, long intervalNanos, long end) {
    this.ch = ch;
    this.interval = intervalNanos;
    this.end = end;
    this.next = firstIntended;
    tick();
  }

  private void tick() {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    boolean wrote = false;
    while (next <= now && next < end) {
      send(next);
      next += interval;
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    if (next < end) {
      ch.eventLoop().schedule(this::tick, Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  private void send(long at) {
    intended++;
    Http2Headers h = new DefaultHttp2Headers()
        .method("GET").scheme("http").authority(target.authority()).path(target.path());
    Http2FrameStream stream = newStream();
    Pending p = new Pending(at);
    ChannelPromise written = ctx.newPromise();
    ctx.write(new DefaultHttp2HeadersFrame(h, true).stream(stream), written);
    if (written.isDone() && !written.isSuccess()) {
      complete(p, false);
      return;
    }
    open.put(stream, p);
    outstanding = open.size();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2SettingsAckFrame) {
        settled.trySuccess(null);
      } else if (msg instanceof Http2HeadersFrame hf) {
        Pending p = open.get(hf.stream());
        if (p != null) {
          CharSequence status = hf.headers().status();
          if (status != null && status.length() == 3 && status.charAt(0) != '1') {
            p.ok = "200".contentEquals(status);
          }
          if (hf.isEndStream()) {
            open.remove(hf.stream());
            complete(p, p.ok);
          }
        }
      } else if (msg instanceof Http2DataFrame df) {
        if (df.initialFlowControlledBytes() > 0 && !df.isEndStream()) {
          // a stream that ends here returns its bytes to the connection window by itself
          ctx.write(new DefaultHttp2WindowUpdateFrame(df.initialFlowControlledBytes()).stream(df.stream()));
        }
        if (df.isEndStream()) {
          Pending p = open.remove(df.stream());
          if (p != null) {
            complete(p, p.ok);
          }
        }
      } else if (msg instanceof Http2ResetFrame rf) {
        Pending p = open.remove(rf.stream());
        if (p != null) {
          complete(p, false);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
      outstanding = open.size();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  private void complete(Pending p, boolean success) {
    if (stopped) {
      return;
    }
    recorder.recordValue(Math.max(0, (System.nanoTime() - p.intended) / 1000));
    (success ? ok : errors).increment();
  }

  @Override
  public void finish(long end) {
    long now = System.nanoTime();
    for (Pending p : open.values()) {
      recorder.recordValue(Math.max(0, (now - p.intended) / 1000));
      errors.increment();
    }
    for (long t = next; t < end; t += interval) {
      recorder.recordValue(Math.max(0, (now - t) / 1000));
      errors.increment();
      intended++;
    }
    stopped = true;
  }

  @Override
  public boolean awaitingResponses() {
    return outstanding > 0;
  }

  @Override
  public long intended() {
    return intended;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    settled.trySuccess(null);
    outstanding = 0;
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
