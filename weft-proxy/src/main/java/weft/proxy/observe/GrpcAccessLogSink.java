package weft.proxy.observe;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends gRPC access log entries ({@code envoy.service.accesslog.v3.AccessLogService}) off the event
 * loops. One per proxy runtime: it owns one sender thread, the channels (one per collector address
 * or target URI, shared by every logger and config generation) and one {@code StreamAccessLogs}
 * call per logger ({@link GrpcLogStream}).
 *
 * <p>Event loops call {@link #offer}, which never blocks: the entry goes to a bounded hand-off queue
 * and is dropped, counting {@code access_logs.grpc_access_log.logs_dropped}, when the queue is full.
 * The sender thread moves entries into their logger's buffer, flushes it when it holds {@code
 * buffer_size_bytes} or every {@code buffer_flush_interval}, and counts {@code
 * access_logs.grpc_access_log.logs_written} per entry handed to gRPC. While a collector is
 * unreachable (or its stream is not ready for more), a logger buffers up to {@code
 * buffer_size_bytes} and drops the rest; it reconnects with a jittered exponential back-off.
 */
public final class GrpcAccessLogSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcAccessLogSink.class);
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The loggers compiled by one config generation; {@link #retain} retires every other logger. */
  public record Generation(GrpcAccessLogSink sink, long id) {
    /** Called once this generation's config is in force: loggers it does not use flush and close. */
    public void retain() {
      sink.retain(id);
    }
  }

  private record Item(GrpcLogStream stream, Message entry) {}

  private final Node node;
  private final int capacity;
  private final Counter written;
  private final Counter dropped;
  private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Queue<GrpcLogStream> retiring = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  // guarded by this: compile-time registry of live loggers
  private final Map<GrpcLogStream.Key, GrpcLogStream> streams = new LinkedHashMap<>();
  private long generations;
  private boolean started;
  private volatile GrpcLogStream[] live = new GrpcLogStream[0];
  private volatile boolean waiting;
  private volatile boolean closed;
  // sender thread only
  private final Map<Object, ManagedChannel> channels = new HashMap<>();
  /** Channels shut down gracefully, with the time after which their calls are cancelled. */
  private final Map<ManagedChannel, Long> closingChannels = new HashMap<>();
  private static final long CHANNEL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /**
   * @param node the proxy's node, sent in each stream's first message
   * @param capacity entries waiting between the event loops and the sender thread
   */
  public GrpcAccessLogSink(StatsStore stats, Node node, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.node = node;
    this.capacity = capacity;
    this.written = stats.counter("access_logs.grpc_access_log.logs_written");
    this.dropped = stats.counter("access_logs.grpc_access_log.logs_dropped");
    this.thread = Thread.ofPlatform().daemon().name("weft-grpc-access-log").unstarted(this::run);
  }

  /** A new config generation; loggers compiled under it survive its {@link Generation#retain}. */
  public synchronized Generation newGeneration() {
    return new Generation(this, ++generations);
  }

  /**
   * The logger for {@code key}, shared with earlier generations that configured the same one. A
   * cluster target's hosts are re-read from the newest generation's cluster.
   */
  synchronized GrpcLogStream stream(GrpcLogStream.Key key, Supplier<InetSocketAddress> hosts,
      SslContext tls, long generation) {
    GrpcLogStream s = streams.get(key);
    if (s == null) {
      s = new GrpcLogStream(key, hosts, tls, generation);
      streams.put(key, s);
      live = streams.values().toArray(new GrpcLogStream[0]);
      if (!started && !closed) {
        started = true;
        thread.start();
      }
    } else if (generation >= s.generation) {
      s.generation = generation;
      s.hosts = hosts;
      s.tls = tls;
    }
    return s;
  }

  /** Retires loggers last compiled by a generation older than {@code id}. */
  synchronized void retain(long id) {
    boolean changed = false;
    for (Iterator<GrpcLogStream> it = streams.values().iterator(); it.hasNext(); ) {
      GrpcLogStream s = it.next();
      if (s.generation < id) {
        it.remove();
        s.retired = true;
        retiring.add(s);
        changed = true;
      }
    }
    if (changed) {
      live = streams.values().toArray(new GrpcLogStream[0]);
      LockSupport.unpark(thread);
    }
  }

  /** Hands {@code entry} to the sender thread; never blocks. False (counted) when dropped. */
  boolean offer(GrpcLogStream stream, Message entry) {
    if (closed || stream.retired || queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      dropped.inc();
      return false;
    }
    queue.offer(new Item(stream, entry));
    if (waiting) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  private void run() {
    while (true) {
      boolean closing = closed;
      Item item;
      while ((item = queue.poll()) != null) {
        queued.decrementAndGet();
        GrpcLogStream s = item.stream();
        // an entry offered while its logger was being retired: nothing will flush it any more
        if (s.finished || !s.add(item.entry())) {
          dropped.inc();
        } else if (s.full()) {
          flush(s, System.nanoTime());
        }
      }
      GrpcLogStream r;
      boolean released = false;
      while ((r = retiring.poll()) != null) {
        finish(r);
        released = true;
      }
      long now = System.nanoTime();
      long park = IDLE_PARK_NANOS;
      for (GrpcLogStream s : live) {
        if (s.broken && s.call != null) {
          s.call = null;
          s.retryAtNanos = now + s.backoff.next().toNanos();
        }
        long due = s.lastFlushNanos + s.key.flushIntervalNanos();
        if (s.hasPending() && (s.readyKick || now - due >= 0 || s.full())) {
          s.readyKick = false;
          flush(s, now);
          due = now + s.key.flushIntervalNanos();
        }
        if (s.hasPending()) {
          park = Math.min(park, Math.max(1, due - now));
        }
      }
      if (released) {
        releaseUnusedChannels();
      }
      // a collector that never answers a half-close must not keep a channel (and its calls) alive
      closingChannels.entrySet().removeIf(e -> {
        if (e.getKey().isTerminated()) {
          return true;
        }
        if (now - e.getValue() >= 0) {
          e.getKey().shutdownNow();
          return true;
        }
        return false;
      });
      if (closing && queue.isEmpty()) {
        for (GrpcLogStream s : live) {
          finish(s);
        }
        channels.values().forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + CHANNEL_GRACE_NANOS;
        for (ManagedChannel ch : channels.values()) {
          try {
            ch.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ch.shutdownNow();
        }
        closingChannels.keySet().forEach(ManagedChannel::shutdownNow);
        channels.clear();
        closingChannels.clear();
        return;
      }
      waiting = true;
      if (queue.isEmpty() && retiring.isEmpty() && !closed) {
        LockSupport.parkNanos(this, park);
      }
      waiting = false;
    }
  }

  private void flush(GrpcLogStream s, long now) {
    s.lastFlushNanos = now;
    if (!s.hasPending() || !connect(s, now)) {
      return;
    }
    ClientCallStreamObserver<StreamAccessLogsMessage> call = s.call;
    if (!call.isReady()) {
      return; // gRPC flow control: keep buffering (bounded); the on-ready handler wakes us
    }
    int n = s.pendingCount();
    try {
      call.onNext(s.drain(node));
      written.add(n);
      s.backoff.reset();
    } catch (RuntimeException e) {
      // the call was cancelled under us: its entries are lost, as Envoy's are with a broken stream
      dropped.add(n);
      s.broken = true;
    }
  }

  /** Makes sure {@code s} has a call; false while backing off or with nowhere to connect. */
  private boolean connect(GrpcLogStream s, long now) {
    if (s.call != null && !s.broken) {
      return true;
    }
    if (s.call != null) {
      s.call = null;
      s.retryAtNanos = now + s.backoff.next().toNanos();
    }
    if (now - s.retryAtNanos < 0) {
      return false;
    }
    ManagedChannel ch = channel(s);
    if (ch == null) {
      s.retryAtNanos = now + s.backoff.next().toNanos();
      return false;
    }
    int id = s.callId + 1;
    s.callId = id;
    s.broken = false;
    s.identified = false;
    s.call = (ClientCallStreamObserver<StreamAccessLogsMessage>)
        AccessLogServiceGrpc.newStub(ch).streamAccessLogs(s.observer(id, this::wake));
    return true;
  }

  private ManagedChannel channel(GrpcLogStream s) {
    Object key;
    if (s.key.target() instanceof GrpcLogStream.UriTarget(String uri)) {
      key = uri;
    } else {
      InetSocketAddress a = s.hosts == null ? null : s.hosts.get();
      if (a == null) {
        LOG.debug("grpc access log {}: {} has no host", s.key.logName(), s.key.target());
        return null;
      }
      // a cluster's TLS context is part of the channel: a new one (new certificate, new SAN
      // rules) gets a new channel, and the old one is released like a moved host's
      SslContext tls = s.tls;
      key = tls == null ? a : new TlsChannelKey(a, tls);
    }
    Object previous = s.channelKey;
    s.channelKey = key;
    if (previous != null && !previous.equals(key)) {
      releaseUnusedChannels(); // the cluster's host changed: the old address's channel may be idle
    }
    return channels.computeIfAbsent(key, k -> {
      NettyChannelBuilder b = switch (k) {
        case InetSocketAddress a -> NettyChannelBuilder.forAddress(a).usePlaintext();
        case TlsChannelKey t -> NettyChannelBuilder.forAddress(t.address()).sslContext(t.tls());
        default -> NettyChannelBuilder.forTarget((String) k).usePlaintext();
      };
      // callbacks only flip flags: run them on gRPC's transport thread, no executor pool
      return b.directExecutor().build();
    });
  }

  /** A channel to a TLS cluster's host: one per address and TLS context (compared by identity). */
  private record TlsChannelKey(InetSocketAddress address, SslContext tls) {}

  /** Flushes what {@code s} holds and half-closes its call (a retired or closing logger). */
  private void finish(GrpcLogStream s) {
    s.finished = true;
    if (s.hasPending()) {
      if (s.call != null && !s.broken && s.call.isReady()) {
        flush(s, System.nanoTime());
      }
      if (s.hasPending()) {
        dropped.add(s.pendingCount());
        s.drain(node);
      }
    }
    if (s.call != null) {
      try {
        s.call.onCompleted();
      } catch (RuntimeException e) {
        // already cancelled: nothing to close
      }
      s.call = null;
    }
    s.channelKey = null;
  }

  private void releaseUnusedChannels() {
    Set<Object> used = new HashSet<>();
    for (GrpcLogStream s : live) {
      if (s.channelKey != null) {
        used.add(s.channelKey);
      }
    }
    channels.entrySet().removeIf(e -> {
      if (used.contains(e.getKey())) {
        return false;
      }
      e.getValue().shutdown();
      closingChannels.put(e.getValue(), System.nanoTime() + CHANNEL_GRACE_NANOS);
      return true;
    });
  }

  private void wake() {
    LockSupport.unpark(thread);
  }

  /** Whether the sender thread runs (for tests: closing must not leak it). */
  boolean senderAlive() {
    return thread.isAlive();
  }

  /** Sends what is buffered (best effort), ends every stream and shuts the channels down. */
  @Override
  public void close() {
    boolean join;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      join = started;
    }
    if (join) {
      LockSupport.unpark(thread);
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
