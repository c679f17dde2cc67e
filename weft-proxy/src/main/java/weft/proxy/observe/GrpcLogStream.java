package weft.proxy.observe;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import weft.proxy.xds.Backoff;

/**
 * One gRPC access logger's {@code StreamAccessLogs} stream, shared by every config generation that
 * configures the same logger. Its buffer and call are touched only by the sink's sender thread;
 * the volatile fields are how gRPC callbacks and config compiles talk to that thread.
 */
final class GrpcLogStream {
  enum Kind { HTTP, TCP }

  /** Where the collector is: a proxy cluster (hosts picked per connect) or a gRPC target URI. */
  sealed interface Target permits ClusterTarget, UriTarget {}

  record ClusterTarget(String cluster) implements Target {}

  record UriTarget(String uri) implements Target {}

  /** Loggers with equal keys share one stream (Envoy: one stream per logger config). */
  record Key(Target target, String logName, Kind kind, long flushIntervalNanos,
      long bufferSizeBytes) {}

  final Key key;
  /** The current generation's view of the cluster's hosts; null for URI targets. */
  volatile Supplier<InetSocketAddress> hosts;
  /** The current generation's TLS for the cluster (its transport socket); null: plaintext. */
  volatile io.netty.handler.ssl.SslContext tls;
  volatile long generation;
  volatile boolean retired;
  /** Set by gRPC callbacks: the call ended; the sender thread reconnects after a back-off. */
  volatile boolean broken;
  volatile boolean readyKick;
  /** Which call the callbacks belong to: a replaced call's late callbacks must not break the next. */
  volatile int callId;

  // ---- sender thread only
  /** Flushed and ended (retired or closing): entries that still arrive are dropped. */
  boolean finished;
  private final List<Message> pending = new ArrayList<>();
  long pendingBytes;
  long lastFlushNanos;
  ClientCallStreamObserver<StreamAccessLogsMessage> call;
  boolean identified;
  Object channelKey;
  long retryAtNanos;
  final Backoff backoff = new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(5));

  GrpcLogStream(Key key, Supplier<InetSocketAddress> hosts, io.netty.handler.ssl.SslContext tls,
      long generation) {
    this.key = key;
    this.hosts = hosts;
    this.tls = tls;
    this.generation = generation;
  }

  /**
   * Buffers {@code entry}; false (drop) when the buffer already holds {@code buffer_size_bytes} that
   * could not be flushed, so a dead collector costs bounded memory.
   */
  boolean add(Message entry) {
    if (pendingBytes >= key.bufferSizeBytes() && !pending.isEmpty()) {
      return false;
    }
    pending.add(entry);
    pendingBytes += entry.getSerializedSize();
    return true;
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  boolean full() {
    return pendingBytes >= key.bufferSizeBytes();
  }

  /** The next message: the identifier on a call's first message only, as Envoy sends it. */
  StreamAccessLogsMessage drain(io.envoyproxy.envoy.config.core.v3.Node node) {
    StreamAccessLogsMessage.Builder m = StreamAccessLogsMessage.newBuilder();
    if (!identified) {
      m.getIdentifierBuilder().setNode(node).setLogName(key.logName());
      identified = true;
    }
    if (key.kind() == Kind.HTTP) {
      var logs = m.getHttpLogsBuilder();
      for (Message e : pending) {
        logs.addLogEntry((HTTPAccessLogEntry) e);
      }
    } else {
      var logs = m.getTcpLogsBuilder();
      for (Message e : pending) {
        logs.addLogEntry((TCPAccessLogEntry) e);
      }
    }
    pending.clear();
    pendingBytes = 0;
    return m.build();
  }

  int pendingCount() {
    return pending.size();
  }

  /** The response side of a new call: any end of the call marks the stream broken. */
  ClientResponseObserver<StreamAccessLogsMessage, StreamAccessLogsResponse> observer(
      int id, Runnable wake) {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<StreamAccessLogsMessage> requests) {
        requests.setOnReadyHandler(() -> {
          readyKick = true;
          wake.run();
        });
      }

      @Override
      public void onNext(StreamAccessLogsResponse value) {}

      @Override
      public void onError(Throwable t) {
        end();
      }

      @Override
      public void onCompleted() {
        end();
      }

      private void end() {
        if (id == callId) {
          broken = true;
          wake.run();
        }
      }
    };
  }
}
