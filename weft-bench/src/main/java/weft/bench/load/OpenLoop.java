package weft.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop latency at a fixed request rate, corrected for coordinated omission (as wrk2/fortio do).
 * Every request has an intended send time on a fixed schedule ({@code rate / connections} per
 * connection, connections staggered); latency is measured from that intended time. An HTTP/1.1
 * connection that is still waiting for a response sends its next request late, and that wait is part
 * of the next request's latency; over h2c each request is a new stream sent on schedule regardless of
 * what is outstanding. Requests due before the end but not answered by then are recorded with the
 * time they had waited so far (a lower bound) and counted as not ok.
 */
public final class OpenLoop {
  private OpenLoop() {}

  public static LatencyResult run(ClientGroup clients, LoadTarget target, Protocol protocol, int rate,
      int connections, Duration duration) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    LongAdder ok = new LongAdder();
    LongAdder errors = new LongAdder();
    long intervalNanos = Math.max(1, Math.round(connections * 1e9 / rate));
    List<Channel> channels = new ArrayList<>();
    List<Paced> pacers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Paced paced = switch (protocol) {
        case H1 -> new PacedH1(target, recorder, ok, errors);
        case H2C -> new PacedH2(target, recorder, ok, errors);
      };
      pacers.add(paced);
      channels.add(H1Requests.connect(clients, target, new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          paced.install(ch.pipeline());
        }
      }));
    }
    // h2c needs its SETTINGS exchange before the first stream; give every connection a moment.
    for (Paced p : pacers) {
      p.ready().await(5, TimeUnit.SECONDS);
    }
    recorder.reset();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long end = start + duration.toNanos();
    for (int i = 0; i < connections; i++) {
      Paced p = pacers.get(i);
      long first = start + intervalNanos * i / connections;
      Channel ch = channels.get(i);
      ch.eventLoop().execute(() -> p.begin(ch, first, intervalNanos, end));
    }
    Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
    List<Future<?>> stops = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Paced p = pacers.get(i);
      Channel ch = channels.get(i);
      stops.add(ch.eventLoop().submit(() -> p.finish(end)));
    }
    long intended = 0;
    for (int i = 0; i < connections; i++) {
      stops.get(i).awaitUninterruptibly();
      intended += pacers.get(i).intended();
    }
    // let what is in flight finish (already recorded as owed) so the path never sees an abort
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pacers.stream().anyMatch(Paced::awaitingResponses) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    for (Channel ch : channels) {
      ch.close().awaitUninterruptibly();
    }
    Histogram h = recorder.getIntervalHistogram();
    return new LatencyResult(h, intended, ok.sum(), errors.sum(), duration.toNanos() / 1e9);
  }

  /** One connection's schedule. All methods run on the connection's event loop. */
  interface Paced {
    void install(io.netty.channel.ChannelPipeline p);

    io.netty.util.concurrent.Future<?> ready();

    void begin(Channel ch, long firstIntended, long intervalNanos, long end);

    /** Stops sending; records what is still owed at {@code end}. */
    void finish(long end);

    long intended();

    /** Whether responses are still expected (readable from any thread). */
    boolean awaitingResponses();
  }
}
