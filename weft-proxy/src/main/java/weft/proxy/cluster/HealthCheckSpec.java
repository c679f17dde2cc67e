package weft.proxy.cluster;

import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.type.v3.CodecClientType;
import io.envoyproxy.envoy.type.v3.Int64Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * One validated {@code health_checks} entry, with Envoy's interval defaults ({@code
 * unhealthy_interval} = interval, {@code unhealthy_edge_interval} = unhealthy_interval, {@code
 * healthy_edge_interval} = interval). {@code no_traffic_interval} and {@code
 * no_traffic_healthy_interval} are accepted but not used: weft checks at the traffic intervals from
 * the start, since it does not track whether a cluster has carried traffic yet, and checking more
 * often is the safe side.
 */
record HealthCheckSpec(
    Duration timeout,
    Duration interval,
    Duration unhealthyInterval,
    Duration unhealthyEdgeInterval,
    Duration healthyEdgeInterval,
    Duration initialJitter,
    Duration intervalJitter,
    int intervalJitterPercent,
    int unhealthyThreshold,
    int healthyThreshold,
    Check check) {

  /** A random delay in [0, initial_jitter) before a host's first check. */
  long initialJitterMillis() {
    long j = initialJitter.toMillis();
    return j <= 0 ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextLong(j);
  }

  /** {@code base} plus up to {@code interval_jitter} and up to {@code interval_jitter_percent}. */
  long jittered(long baseMillis) {
    var r = java.util.concurrent.ThreadLocalRandom.current();
    long out = baseMillis;
    long j = intervalJitter.toMillis();
    if (j > 0) {
      out += r.nextLong(j);
    }
    long pct = intervalJitterPercent * baseMillis / 100;
    if (pct > 0) {
      out += r.nextLong(pct);
    }
    return out;
  }

  sealed interface Check {}

  /** HTTP/1.1 GET of {@code path} with Host {@code host}; healthy when the status is in a range. */
  record Http(String path, String host, List<long[]> expectedStatuses) implements Check {
    boolean expected(int status) {
      for (long[] r : expectedStatuses) {
        if (status >= r[0] && status < r[1]) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * TCP connect, then optionally write {@code send} and wait until every {@code receive} block has
   * been seen in the response (Envoy's fuzzy match: blocks in order, anywhere in the buffer).
   */
  record Tcp(byte[] send, List<byte[]> receive) implements Check {}

  static List<HealthCheckSpec> compileAll(
      List<HealthCheck> checks, String clusterName, ConfigPath path, ConfigProblems problems) {
    List<HealthCheckSpec> out = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      HealthCheckSpec s = compile(checks.get(i), clusterName, path.index(i), problems);
      if (s != null) {
        out.add(s);
      }
    }
    if (out.size() > 1) {
      // Envoy itself only allows one health checker per cluster
      problems.add(path, "only one health check per cluster is supported, got " + out.size());
    }
    return List.copyOf(out);
  }

  private static HealthCheckSpec compile(
      HealthCheck hc, String clusterName, ConfigPath p, ConfigProblems problems) {
    SupportedFields.check(
        hc, p, problems, "timeout", "interval", "unhealthy_threshold", "healthy_threshold",
        "no_traffic_interval", "no_traffic_healthy_interval", "unhealthy_interval",
        "unhealthy_edge_interval", "healthy_edge_interval", "initial_jitter", "interval_jitter",
        "interval_jitter_percent", "http_health_check", "tcp_health_check");
    if (!hc.hasTimeout() || !hc.hasInterval()) {
      problems.add(p, "timeout and interval are required");
      return null;
    }
    if (!hc.hasUnhealthyThreshold() || !hc.hasHealthyThreshold()) {
      problems.add(p, "unhealthy_threshold and healthy_threshold are required");
      return null;
    }
    Duration timeout = Durations.of(hc.getTimeout());
    Duration interval = Durations.of(hc.getInterval());
    if (timeout.toMillis() < 1 || interval.toMillis() < 1) {
      problems.add(p, "timeout and interval must be at least 1ms");
      return null;
    }
    Check check =
        switch (hc.getHealthCheckerCase()) {
          case HTTP_HEALTH_CHECK -> http(hc.getHttpHealthCheck(), clusterName, p.field("http_health_check"), problems);
          case TCP_HEALTH_CHECK -> tcp(hc.getTcpHealthCheck(), p.field("tcp_health_check"), problems);
          case HEALTHCHECKER_NOT_SET -> {
            problems.add(p, "one of http_health_check or tcp_health_check is required");
            yield null;
          }
          default -> {
            problems.unsupported(
                p.field(hc.getHealthCheckerCase().name().toLowerCase()),
                hc.getHealthCheckerCase().name().toLowerCase());
            yield null;
          }
        };
    if (check == null) {
      return null;
    }
    Duration unhealthy = Durations.or(hc.hasUnhealthyInterval(), hc.getUnhealthyInterval(), interval);
    return new HealthCheckSpec(
        timeout,
        interval,
        unhealthy,
        Durations.or(hc.hasUnhealthyEdgeInterval(), hc.getUnhealthyEdgeInterval(), unhealthy),
        Durations.or(hc.hasHealthyEdgeInterval(), hc.getHealthyEdgeInterval(), interval),
        Durations.or(hc.hasInitialJitter(), hc.getInitialJitter(), Duration.ZERO),
        Durations.or(hc.hasIntervalJitter(), hc.getIntervalJitter(), Duration.ZERO),
        Math.min(100, hc.getIntervalJitterPercent()),
        Math.max(1, hc.getUnhealthyThreshold().getValue()),
        Math.max(1, hc.getHealthyThreshold().getValue()),
        check);
  }

  private static Check http(
      HealthCheck.HttpHealthCheck h, String clusterName, ConfigPath p, ConfigProblems problems) {
    SupportedFields.check(h, p, problems, "host", "path", "expected_statuses", "codec_client_type");
    if (h.getCodecClientType() != CodecClientType.HTTP1) {
      problems.unsupported(p.field("codec_client_type"), h.getCodecClientType());
    }
    if (h.getPath().isEmpty()) {
      problems.add(p.field("path"), "path is required");
    }
    List<long[]> ranges = new ArrayList<>();
    for (int i = 0; i < h.getExpectedStatusesCount(); i++) {
      Int64Range r = h.getExpectedStatuses(i);
      if (r.getStart() < 100 || r.getEnd() > 600 || r.getStart() >= r.getEnd()) {
        problems.add(
            p.field("expected_statuses").index(i),
            "[" + r.getStart() + ", " + r.getEnd() + ") (expected: a range within [100, 600))");
      }
      ranges.add(new long[] {r.getStart(), r.getEnd()});
    }
    if (ranges.isEmpty()) {
      ranges.add(new long[] {200, 201});
    }
    String host = h.getHost().isEmpty() ? clusterName : h.getHost();
    return new Http(h.getPath(), host, List.copyOf(ranges));
  }

  private static Check tcp(HealthCheck.TcpHealthCheck t, ConfigPath p, ConfigProblems problems) {
    SupportedFields.check(t, p, problems, "send", "receive");
    byte[] send = t.hasSend() ? payload(t.getSend(), p.field("send"), problems) : new byte[0];
    List<byte[]> receive = new ArrayList<>();
    for (int i = 0; i < t.getReceiveCount(); i++) {
      receive.add(payload(t.getReceive(i), p.field("receive").index(i), problems));
    }
    return new Tcp(send, List.copyOf(receive));
  }

  private static byte[] payload(HealthCheck.Payload pl, ConfigPath p, ConfigProblems problems) {
    return switch (pl.getPayloadCase()) {
      case TEXT -> {
        try {
          yield HexFormat.of().parseHex(pl.getText());
        } catch (IllegalArgumentException e) {
          problems.add(p.field("text"), "\"" + pl.getText() + "\" (expected: hex-encoded bytes)");
          yield new byte[0];
        }
      }
      case BINARY -> pl.getBinary().toByteArray();
      case PAYLOAD_NOT_SET -> {
        problems.add(p, "one of text or binary is required");
        yield new byte[0];
      }
    };
  }
}
