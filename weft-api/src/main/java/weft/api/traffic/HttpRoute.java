package weft.api.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code HTTPRoute} of a VirtualService.
 *
 * @param name the route's name, if any
 * @param match the alternatives (OR); empty matches every request
 * @param route weighted destinations (at least one)
 * @param rewrite URI prefix / authority rewrite
 * @param timeout the request timeout; absent = no timeout (Istio's default)
 * @param retries the retry policy; absent = Istio's default (2 attempts on
 *     connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes)
 * @param fault injected delay/abort
 * @param mirror a destination that receives a copy of the traffic
 * @param mirrorPercentage the share of requests mirrored, 0..100 (default 100)
 * @param headers header operations for every destination
 */
public record HttpRoute(
    Optional<String> name,
    List<HttpMatch> match,
    List<RouteDestination> route,
    Optional<Rewrite> rewrite,
    Optional<Duration> timeout,
    Optional<Retries> retries,
    Optional<Fault> fault,
    Optional<Destination> mirror,
    Optional<Double> mirrorPercentage,
    HeaderOperations.Headers headers) {
  public HttpRoute {
    Objects.requireNonNull(name, "name");
    match = List.copyOf(match);
    route = List.copyOf(route);
    Objects.requireNonNull(rewrite, "rewrite");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retries, "retries");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(mirror, "mirror");
    Objects.requireNonNull(mirrorPercentage, "mirrorPercentage");
    Objects.requireNonNull(headers, "headers");
  }

  /**
   * A destination with its weight.
   *
   * @param weight relative weight; with one destination it gets all traffic whatever the weight
   */
  public record RouteDestination(Destination destination, int weight, HeaderOperations.Headers headers) {
    public RouteDestination {
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(headers, "headers");
      if (weight < 0) {
        throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
      }
    }
  }

  /** {@code HTTPRewrite}: replaces the matched URI prefix (or the full path) and the authority. */
  public record Rewrite(Optional<String> uri, Optional<String> authority) {
    public Rewrite {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(authority, "authority");
    }
  }

  /** {@code HTTPRetry}: {@code attempts} retries (0 disables), each with its own timeout. */
  public record Retries(int attempts, Optional<Duration> perTryTimeout, Optional<String> retryOn) {
    public Retries {
      Objects.requireNonNull(perTryTimeout, "perTryTimeout");
      Objects.requireNonNull(retryOn, "retryOn");
    }
  }

  /** {@code HTTPFaultInjection}: a fixed delay and/or an abort, each for a share of requests. */
  public record Fault(Optional<Delay> delay, Optional<Abort> abort) {
    public Fault {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(abort, "abort");
    }
  }

  /** @param percentage 0..100; Istio's default when omitted is 100 */
  public record Delay(Duration fixedDelay, double percentage) {}

  /** @param percentage 0..100; Istio's default when omitted is 100 */
  public record Abort(int httpStatus, double percentage) {}
}
