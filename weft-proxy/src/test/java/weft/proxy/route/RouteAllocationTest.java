package weft.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md "no allocation you can avoid" on the request path: routing to a named or
 * weighted cluster returns precomputed results and must not allocate.
 */
class RouteAllocationTest {
  private static final RouteTable TABLE = Yaml.table("""
      virtual_hosts:
      - name: api
        domains: [api.test, '*.api.test']
        routes:
        - {match: {prefix: /v1/, headers: [{name: x-env, string_match: {exact: canary}}]}, route: {cluster: canary}}
        - {match: {path_separated_prefix: /v1}, route: {cluster: v1}}
        - match: {prefix: /}
          route: {weighted_clusters: {clusters: [{name: a, weight: 90}, {name: b, weight: 10}]}}
      - {name: other, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: other}}]}
      """);

  @Test
  void routingToStaticClustersDoesNotAllocate() {
    TestRequest[] requests = {
      TestRequest.get("api.test", "/v1/items?id=1"),
      TestRequest.get("eu.api.test", "/v1"),
      TestRequest.get("api.test", "/home"),
      TestRequest.get("www.test", "/"),
    };
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    long sink = 0;
    for (int i = 0; i < 200_000; i++) { // warm up: class init, JIT
      sink += TABLE.route(requests[i & 3], i).hashCode();
    }
    int n = 1_000_000;
    long bytesBefore = mx.getThreadAllocatedBytes(tid);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += TABLE.route(requests[i & 3], i).hashCode();
    }
    long elapsed = System.nanoTime() - t0;
    long allocated = mx.getThreadAllocatedBytes(tid) - bytesBefore;
    System.out.printf("route(): %.1f ns/op, %.3f bytes/op (sink %d)%n", (double) elapsed / n, (double) allocated / n, sink);
    // a few hundred bytes of measurement noise at most, never per-request garbage
    assertThat(allocated).isLessThan(n / 100);
  }
}
