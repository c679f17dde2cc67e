package weft.controlplane.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.controlplane.flows.FlowRecord;
import weft.controlplane.flows.FlowStore;

/**
 * {@code GET /api/v1/flows}: flow records as JSON lines ({@code application/x-ndjson}). With {@code
 * follow=true} the response is chunked and stays open, streaming new records as they arrive.
 *
 * <p>A follower does not hold one of the API's few handler threads: its exchange is handed to a
 * virtual thread of its own, and at most {@link #MAX_FOLLOWERS} follow at once (more get 503). Each
 * follower reads its own bounded queue ({@link FlowStore.Subscription}), so a slow client loses
 * records rather than slowing ingestion. A blank line every {@link #KEEPALIVE} lets a follower
 * whose client has gone be noticed (the write fails) even when no flows arrive; clients skip blank
 * lines.
 */
final class FlowsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FlowsEndpoint.class);
  static final int MAX_FOLLOWERS = 32;
  static final Duration KEEPALIVE = Duration.ofSeconds(10);
  /** How long a follower waits for a record before looking at its subscription again. */
  static final Duration POLL = Duration.ofMillis(250);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] NEWLINE = {'\n'};

  private final FlowStore store;
  private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  FlowsEndpoint(FlowStore store) {
    this.store = store;
  }

  /**
   * Answers the request; returns true if the exchange was handed to a follower (the caller must
   * not close it). Throws {@link ApiServer.ApiException} for bad queries, before anything is sent.
   */
  boolean serve(HttpExchange ex) throws IOException {
    FlowQuery q = FlowQuery.parse(ex.getRequestURI().getRawQuery(), Instant.now());
    ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    if (!q.follow()) {
      List<FlowRecord> records = store.query(q.filter(), q.limit());
      StringBuilder body = new StringBuilder();
      for (FlowRecord r : records) {
        body.append(line(r));
      }
      byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
      ex.getResponseBody().write(bytes);
      return false;
    }
    if (closed || followers.size() >= MAX_FOLLOWERS) {
      throw new ApiServer.ApiException(503, "too many flow followers (at most " + MAX_FOLLOWERS
          + " at once); stop one or query without follow=true");
    }
    FlowStore.Subscription sub = store.subscribe(q.filter(), q.limit(), FlowStore.DEFAULT_SUBSCRIBER_QUEUE);
    ex.sendResponseHeaders(200, 0); // chunked
    ex.getResponseBody().flush(); // the JDK server buffers the headers: the client waits for them
    Follower f = new Follower(ex, sub);
    followers.add(f);
    f.thread = Thread.ofVirtual().name("weft-flows-follower").start(f);
    return true;
  }

  static String line(FlowRecord r) {
    try {
      return JSON.writeValueAsString(json(r)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("flow record not serializable", e);
    }
  }

  /** The JSON shape of a record (docs/controlplane.md). */
  static Map<String, Object> json(FlowRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", r.time().toString());
    m.put("direction", r.direction().name().toLowerCase(java.util.Locale.ROOT));
    Map<String, Object> src = new LinkedHashMap<>();
    src.put("namespace", r.source().namespace());
    src.put("workload", r.source().workload());
    src.put("identity", r.source().identity());
    src.put("address", r.source().address());
    m.put("source", src);
    Map<String, Object> dst = new LinkedHashMap<>();
    dst.put("namespace", r.destination().namespace());
    dst.put("workload", r.destination().workload());
    dst.put("service", r.destination().service());
    dst.put("address", r.destination().address());
    dst.put("port", r.destination().port());
    m.put("destination", dst);
    m.put("protocol", r.protocol());
    if (r.http() == null) {
      m.put("http", null);
    } else {
      Map<String, Object> http = new LinkedHashMap<>();
      http.put("method", r.http().method());
      http.put("path", r.http().path());
      http.put("status", r.http().status());
      m.put("http", http);
    }
    m.put("verdict", r.verdict().name());
    m.put("policy", r.policy());
    m.put("reason", r.reason());
    m.put("latencyMs", r.latency() == null ? null : r.latency().toNanos() / 1_000_000.0);
    m.put("peerIdentity", r.peerIdentity());
    m.put("node", r.node());
    m.put("bytesReceived", r.bytesReceived());
    m.put("bytesSent", r.bytesSent());
    return m;
  }

  int followers() {
    return followers.size();
  }

  /**
   * Ends every follower: each sees its subscription closed within {@link #POLL} and ends its
   * response properly (its client sees the end of the stream, not a reset), before the server stops.
   */
  @Override
  public void close() {
    closed = true;
    for (Follower f : followers) {
      f.sub.close();
    }
    for (Follower f : followers) {
      try {
        Thread t = f.thread;
        if (t != null) {
          t.join(POLL.multipliedBy(4));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private final class Follower implements Runnable {
    final HttpExchange ex;
    final FlowStore.Subscription sub;
    volatile Thread thread;

    Follower(HttpExchange ex, FlowStore.Subscription sub) {
      this.ex = ex;
      this.sub = sub;
    }

    @Override
    public void run() {
      OutputStream out = ex.getResponseBody();
      long quietNanos = 0;
      try {
        while (!sub.closed()) {
          FlowRecord r = sub.poll(POLL);
          if (r == null) {
            quietNanos += POLL.toNanos();
            if (quietNanos >= KEEPALIVE.toNanos()) {
              out.write(NEWLINE);
              out.flush();
              quietNanos = 0;
            }
            continue;
          }
          quietNanos = 0;
          out.write(line(r).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          // a burst is written together; flush when the queue is drained
          FlowRecord next;
          while ((next = sub.poll(Duration.ZERO)) != null) {
            out.write(line(next).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
          out.flush();
        }
      } catch (IOException e) {
        log.debug("flow follower {} went away: {}", ex.getRemoteAddress(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        sub.close();
        followers.remove(this);
        if (sub.dropped() > 0) {
          log.info("flow follower {} lost {} records (too slow to keep up)", ex.getRemoteAddress(), sub.dropped());
        }
        ex.close();
      }
    }
  }
}
