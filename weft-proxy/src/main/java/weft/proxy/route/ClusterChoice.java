package weft.proxy.route;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a forwarding route picks its cluster: one named cluster, a weighted split, or a request
 * header. Results for static clusters are built once, so routing to them allocates nothing.
 */
sealed interface ClusterChoice {
  RouteResult.Forward choose(RouteRequest req, long random);

  Set<String> names();

  record Single(RouteResult.Forward result) implements ClusterChoice {
    @Override
    public RouteResult.Forward choose(RouteRequest req, long random) {
      return result;
    }

    @Override
    public Set<String> names() {
      return Set.of(result.cluster());
    }

    @Override
    public String toString() {
      return result.cluster();
    }
  }

  /**
   * Envoy's weighted selection: {@code random % total}, then the first cluster whose cumulative
   * weight exceeds it. Zero-weight clusters are never chosen.
   */
  record Weighted(RouteResult.Forward[] results, long[] upperBounds, long total) implements ClusterChoice {
    @Override
    public RouteResult.Forward choose(RouteRequest req, long random) {
      long v = Long.remainderUnsigned(random, total);
      for (int i = 0; i < upperBounds.length; i++) {
        if (v < upperBounds[i]) {
          return results[i];
        }
      }
      return results[results.length - 1]; // unreachable: the last bound is total
    }

    @Override
    public Set<String> names() {
      Set<String> s = new LinkedHashSet<>();
      for (RouteResult.Forward f : results) {
        s.add(f.cluster());
      }
      return Set.copyOf(s);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("weighted{");
      long prev = 0;
      for (int i = 0; i < results.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(results[i].cluster()).append('=').append(upperBounds[i] - prev);
        prev = upperBounds[i];
      }
      return sb.append('}').toString();
    }
  }

  /** cluster_header: the first value of the header names the cluster; absent means "". */
  record FromHeader(RouteEntry entry, String header) implements ClusterChoice {
    @Override
    public RouteResult.Forward choose(RouteRequest req, long random) {
      String v = req.headers() == null ? null : req.headers().get(header);
      return new RouteResult.Forward(entry, v == null ? "" : v);
    }

    @Override
    public Set<String> names() {
      return Set.of();
    }

    @Override
    public String toString() {
      return "header:" + header;
    }
  }

  /** Describes the choice before its RouteEntry exists (the results point back to the entry). */
  final class Builder {
    private String single;
    private String header;
    private final List<String> names = new ArrayList<>();
    private final List<Long> weights = new ArrayList<>();
    private final List<HeaderMutations.Level> requests = new ArrayList<>();
    private final List<HeaderMutations.Level> responses = new ArrayList<>();
    private final List<String> hosts = new ArrayList<>();

    static Builder single(String cluster) {
      Builder b = new Builder();
      b.single = cluster;
      return b;
    }

    static Builder header(String header) {
      Builder b = new Builder();
      b.header = header;
      return b;
    }

    static Builder weighted() {
      return new Builder();
    }

    Builder add(String cluster, long weight) {
      return add(cluster, weight, HeaderMutations.Level.EMPTY, HeaderMutations.Level.EMPTY, null);
    }

    /** A weighted cluster with its own header mutations and host_rewrite_literal (may be null). */
    Builder add(String cluster, long weight, HeaderMutations.Level request, HeaderMutations.Level response,
        String host) {
      names.add(cluster);
      weights.add(weight);
      requests.add(request);
      responses.add(response);
      hosts.add(host);
      return this;
    }

    ClusterChoice build(RouteEntry entry) {
      if (single != null) {
        return new Single(new RouteResult.Forward(entry, single));
      }
      if (header != null) {
        return new FromHeader(entry, header);
      }
      RouteResult.Forward[] results = new RouteResult.Forward[names.size()];
      long[] bounds = new long[names.size()];
      long sum = 0;
      for (int i = 0; i < results.length; i++) {
        RouteEntry e = entry.forCluster(requests.get(i), responses.get(i), hosts.get(i));
        results[i] = new RouteResult.Forward(e, names.get(i));
        sum += weights.get(i);
        bounds[i] = sum;
      }
      return new Weighted(results, bounds, sum);
    }
  }
}
