package weft.proxy.observe;

import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code AccessLogService} on 127.0.0.1:0 (Netty transport, as a control plane's): records
 * every stream's messages in arrival order and whether the proxy ended it.
 */
public final class TestAccessLogCollector implements AutoCloseable {
  /** One {@code StreamAccessLogs} call as received. */
  public static final class Stream {
    public final List<StreamAccessLogsMessage> messages = new CopyOnWriteArrayList<>();
    public volatile boolean ended;

    /** The log name from the stream's first message ("" before it arrived). */
    public String logName() {
      return messages.isEmpty() ? "" : messages.get(0).getIdentifier().getLogName();
    }
  }

  public final List<Stream> streams = new CopyOnWriteArrayList<>();
  private final Server server;

  public TestAccessLogCollector() throws IOException {
    this(0);
  }

  /** On {@code port} (0: any), e.g. the port of a collector that was stopped, to come back. */
  public TestAccessLogCollector(int port) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new AccessLogServiceGrpc.AccessLogServiceImplBase() {
          @Override
          public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(
              StreamObserver<StreamAccessLogsResponse> response) {
            Stream s = new Stream();
            streams.add(s);
            return new StreamObserver<>() {
              @Override
              public void onNext(StreamAccessLogsMessage m) {
                s.messages.add(m);
              }

              @Override
              public void onError(Throwable t) {
                s.ended = true;
              }

              @Override
              public void onCompleted() {
                s.ended = true;
                response.onNext(StreamAccessLogsResponse.getDefaultInstance());
                response.onCompleted();
              }
            };
          }
        })
        .build().start();
  }

  public int port() {
    return server.getPort();
  }

  /** The streams whose first message named {@code logName}. */
  public List<Stream> streams(String logName) {
    List<Stream> out = new ArrayList<>();
    for (Stream s : streams) {
      if (s.logName().equals(logName)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Every HTTP entry received for {@code logName}, in order. */
  public List<io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry> http(String logName) {
    List<io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry> out = new ArrayList<>();
    streams(logName).forEach(s -> s.messages.forEach(
        m -> out.addAll(m.getHttpLogs().getLogEntryList())));
    return out;
  }

  /** Every TCP entry received for {@code logName}, in order. */
  public List<io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry> tcp(String logName) {
    List<io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry> out = new ArrayList<>();
    streams(logName).forEach(s -> s.messages.forEach(
        m -> out.addAll(m.getTcpLogs().getLogEntryList())));
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
