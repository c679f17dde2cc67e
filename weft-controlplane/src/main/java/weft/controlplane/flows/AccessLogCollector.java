package weft.controlplane.flows;

import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's {@code envoy.service.accesslog.v3.AccessLogService}: proxies' gRPC access loggers
 * ({@code envoy.access_loggers.http_grpc}, {@code tcp_grpc}) stream entries here; each becomes a
 * {@link FlowRecord} in the {@link FlowStore}. As in Envoy's protocol, the first message of a stream
 * carries the {@code identifier} (node, log name) and later ones only entries; a stream whose first
 * message has no identifier is refused (INVALID_ARGUMENT).
 *
 * <p>Runs on gRPC's executor threads, one message at a time per stream. Enrichment is cheap (map
 * lookups and one policy evaluation per entry); the store never blocks.
 */
public final class AccessLogCollector extends AccessLogServiceGrpc.AccessLogServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AccessLogCollector.class);

  private final FlowEnricher enricher;
  private final FlowStore store;
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong streams = new AtomicLong();

  public AccessLogCollector(FlowEnricher enricher, FlowStore store) {
    this.enricher = enricher;
    this.store = store;
  }

  /** Access log entries received since start (kept or not). */
  public long entries() {
    return entries.get();
  }

  /** Log streams opened since start. */
  public long streams() {
    return streams.get();
  }

  @Override
  public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(StreamObserver<StreamAccessLogsResponse> response) {
    streams.incrementAndGet();
    return new StreamObserver<>() {
      private String node;
      private String logName;

      @Override
      public void onNext(StreamAccessLogsMessage m) {
        if (node == null) {
          if (!m.hasIdentifier() || m.getIdentifier().getNode().getId().isEmpty()) {
            response.onError(Status.INVALID_ARGUMENT
                .withDescription("the first message of an access log stream must carry identifier.node.id (Envoy's protocol)")
                .asRuntimeException());
            node = "";
            return;
          }
          node = m.getIdentifier().getNode().getId();
          logName = m.getIdentifier().getLogName();
          log.debug("access log stream from {} ({})", node, logName);
        }
        if (node.isEmpty()) {
          return; // refused stream: the client may still send before it sees the error
        }
        switch (m.getLogEntriesCase()) {
          case HTTP_LOGS -> {
            for (HTTPAccessLogEntry e : m.getHttpLogs().getLogEntryList()) {
              entries.incrementAndGet();
              keep(enricher.http(node, logName, e));
            }
          }
          case TCP_LOGS -> {
            for (TCPAccessLogEntry e : m.getTcpLogs().getLogEntryList()) {
              entries.incrementAndGet();
              keep(enricher.tcp(node, logName, e));
            }
          }
          case LOGENTRIES_NOT_SET -> {
            // an identifier-only message: nothing to keep
          }
        }
      }

      private void keep(java.util.Optional<FlowRecord> r) {
        if (r.isPresent()) {
          store.add(r.get());
        } else {
          store.ignore();
        }
      }

      @Override
      public void onError(Throwable t) {
        log.debug("access log stream from {} ended: {}", node, t.toString());
      }

      @Override
      public void onCompleted() {
        if (node != null && node.isEmpty()) {
          return; // refused: the error was the answer
        }
        response.onNext(StreamAccessLogsResponse.getDefaultInstance());
        response.onCompleted();
      }
    };
  }
}
