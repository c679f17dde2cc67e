package weft.api.load;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import weft.api.DestinationRule;
import weft.api.Resource;
import weft.api.meta.ObjectMeta;
import weft.api.traffic.Subset;
import weft.api.traffic.TrafficPolicy;
import weft.api.traffic.TrafficPolicy.ConsistentHash;

/** Decodes Istio's DestinationRule, refusing the parts weft does not implement. */
final class DestinationRuleDecoder {
  private DestinationRuleDecoder() {}

  static Optional<Resource> decode(ObjectMeta meta, Obj spec) {
    Problems problems = spec.problems();
    int before = problems.size();
    Optional<String> host = spec.requiredString("host");
    host.filter(h -> h.contains("*"))
        .ifPresent(h -> problems.add(spec.at("host"), "wildcard hosts are not supported by weft: " + Values.quote(h)));
    Optional<TrafficPolicy> policy = spec.object("trafficPolicy").flatMap(DestinationRuleDecoder::trafficPolicy);
    Set<String> names = new HashSet<>();
    List<Subset> subsets = spec.objects("subsets", s -> subset(s, names));
    spec.unsupported("exportTo", "workloadSelector");
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new DestinationRule(meta, host.get(), policy, subsets));
  }

  private static Optional<Subset> subset(Obj s, Set<String> names) {
    int before = s.problems().size();
    Optional<String> name = s.requiredString("name");
    name.filter(n -> !names.add(n)).ifPresent(n -> s.problems().add(s.at("name"), "duplicate subset " + Values.quote(n)));
    Map<String, String> labels = MetadataDecoder.labels(s, "labels");
    Optional<TrafficPolicy> policy = s.object("trafficPolicy").flatMap(DestinationRuleDecoder::trafficPolicy);
    s.finish();
    return s.problems().size() > before ? Optional.empty() : Optional.of(new Subset(name.get(), labels, policy));
  }

  private static Optional<TrafficPolicy> trafficPolicy(Obj t) {
    int before = t.problems().size();
    Optional<TrafficPolicy.LoadBalancer> lb = t.object("loadBalancer").flatMap(DestinationRuleDecoder::loadBalancer);
    Optional<TrafficPolicy.ConnectionPool> pool = t.object("connectionPool").map(DestinationRuleDecoder::connectionPool);
    Optional<TrafficPolicy.OutlierDetection> outlier = t.object("outlierDetection").map(DestinationRuleDecoder::outlier);
    Optional<TrafficPolicy.TlsMode> tls = t.object("tls").flatMap(DestinationRuleDecoder::tls);
    t.unsupported("portLevelSettings", "tunnel", "proxyProtocol", "retryBudget");
    t.finish();
    return t.problems().size() > before ? Optional.empty() : Optional.of(new TrafficPolicy(lb, pool, outlier, tls));
  }

  private static Optional<TrafficPolicy.LoadBalancer> loadBalancer(Obj l) {
    Problems problems = l.problems();
    int before = problems.size();
    Optional<TrafficPolicy.SimpleLb> simple = l.string("simple").flatMap(s -> switch (s) {
      case "ROUND_ROBIN", "UNSPECIFIED" -> Optional.of(TrafficPolicy.SimpleLb.ROUND_ROBIN);
      case "LEAST_REQUEST", "LEAST_CONN" -> Optional.of(TrafficPolicy.SimpleLb.LEAST_REQUEST);
      case "RANDOM" -> Optional.of(TrafficPolicy.SimpleLb.RANDOM);
      case "PASSTHROUGH" -> {
        problems.add(l.at("simple"), "PASSTHROUGH is not supported by weft (it needs original-destination routing)");
        yield Optional.empty();
      }
      default -> {
        problems.add(l.at("simple"), "unknown load balancer " + Values.quote(s) + " (expected: ROUND_ROBIN, LEAST_REQUEST or RANDOM)");
        yield Optional.empty();
      }
    });
    Optional<ConsistentHash> hash = l.object("consistentHash").flatMap(DestinationRuleDecoder::consistentHash);
    if (l.has("simple") && l.has("consistentHash")) {
      problems.add(l.path(), "simple and consistentHash are exclusive");
    }
    List<TrafficPolicy.Failover> failover = l.object("localityLbSetting").map(s -> {
      List<TrafficPolicy.Failover> f = s.objects("failover", o -> {
        Optional<String> from = o.requiredString("from");
        Optional<String> to = o.requiredString("to");
        o.finish();
        return from.isPresent() && to.isPresent() ? Optional.of(new TrafficPolicy.Failover(from.get(), to.get())) : Optional.empty();
      });
      s.bool("enabled").filter(e -> !e).ifPresent(e -> problems.add(s.at("enabled"), "enabled: false is not supported by weft"));
      s.unsupported("distribute", "failoverPriority");
      s.finish();
      return f;
    }).orElse(List.of());
    l.unsupported("warmupDurationSecs", "warmup");
    l.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new TrafficPolicy.LoadBalancer(simple, hash, failover));
  }

  private static Optional<ConsistentHash> consistentHash(Obj c) {
    Problems problems = c.problems();
    int before = problems.size();
    int set = 0;
    Optional<ConsistentHash> out = Optional.empty();
    Optional<String> header = c.string("httpHeaderName");
    if (header.isPresent()) {
      set++;
      out = Optional.of(new ConsistentHash.Header(header.get()));
    }
    Optional<ConsistentHash> cookie = c.object("httpCookie").flatMap(k -> {
      Optional<String> name = k.requiredString("name");
      // ttl makes Envoy generate the cookie; weft's proxy only hashes on cookies clients send
      k.unsupported("ttl", "path", "attributes");
      k.finish();
      return name.map(ConsistentHash.Cookie::new);
    });
    if (c.has("httpCookie")) {
      set++;
      out = cookie;
    }
    if (c.bool("useSourceIp").orElse(false)) {
      set++;
      out = Optional.of(new ConsistentHash.SourceIp());
    }
    c.unsupported("httpQueryParameterName", "ringHash", "maglev", "minimumRingSize");
    c.finish();
    if (set != 1 && problems.size() == before) {
      problems.add(c.path(), "exactly one of httpHeaderName, httpCookie or useSourceIp is required");
    }
    return problems.size() > before ? Optional.empty() : out;
  }

  private static TrafficPolicy.ConnectionPool connectionPool(Obj p) {
    Optional<Integer> maxConnections = Optional.empty();
    Optional<Duration> connectTimeout = Optional.empty();
    Optional<Obj> tcp = p.object("tcp");
    if (tcp.isPresent()) {
      Obj t = tcp.get();
      maxConnections = t.integer("maxConnections", 1, Integer.MAX_VALUE);
      connectTimeout = VirtualServiceDecoder.duration(t, "connectTimeout");
      t.unsupported("tcpKeepalive", "maxConnectionDuration", "idleTimeout");
      t.finish();
    }
    Optional<Integer> pending = Optional.empty();
    Optional<Integer> requests = Optional.empty();
    Optional<Integer> retries = Optional.empty();
    Optional<Obj> http = p.object("http");
    if (http.isPresent()) {
      Obj h = http.get();
      pending = h.integer("http1MaxPendingRequests", 1, Integer.MAX_VALUE);
      requests = h.integer("http2MaxRequests", 1, Integer.MAX_VALUE);
      retries = h.integer("maxRetries", 0, Integer.MAX_VALUE);
      h.unsupported("maxRequestsPerConnection", "idleTimeout", "h2UpgradePolicy", "useClientProtocol",
          "maxConcurrentStreams");
      h.finish();
    }
    p.finish();
    return new TrafficPolicy.ConnectionPool(maxConnections, connectTimeout, pending, requests, retries);
  }

  private static TrafficPolicy.OutlierDetection outlier(Obj o) {
    TrafficPolicy.OutlierDetection out = new TrafficPolicy.OutlierDetection(
        o.integer("consecutive5xxErrors", 0, Integer.MAX_VALUE),
        o.integer("consecutiveGatewayErrors", 0, Integer.MAX_VALUE),
        VirtualServiceDecoder.duration(o, "interval"),
        VirtualServiceDecoder.duration(o, "baseEjectionTime"),
        o.integer("maxEjectionPercent", 0, 100));
    o.unsupported("consecutiveErrors", "consecutiveLocalOriginFailures", "splitExternalLocalOriginErrors",
        "minHealthPercent");
    o.finish();
    return out;
  }

  private static Optional<TrafficPolicy.TlsMode> tls(Obj t) {
    Problems problems = t.problems();
    Optional<TrafficPolicy.TlsMode> mode = t.string("mode").flatMap(s -> switch (s) {
      case "ISTIO_MUTUAL" -> Optional.of(TrafficPolicy.TlsMode.ISTIO_MUTUAL);
      case "DISABLE" -> Optional.of(TrafficPolicy.TlsMode.DISABLE);
      case "SIMPLE", "MUTUAL" -> {
        problems.add(t.at("mode"), "mode " + s + " is not supported by weft (expected: ISTIO_MUTUAL or DISABLE)");
        yield Optional.empty();
      }
      default -> {
        problems.add(t.at("mode"), "unknown mode " + Values.quote(s) + " (expected: ISTIO_MUTUAL or DISABLE)");
        yield Optional.empty();
      }
    });
    t.unsupported("clientCertificate", "privateKey", "caCertificates", "credentialName", "subjectAltNames",
        "sni", "insecureSkipVerify", "caCrl");
    t.finish();
    return mode;
  }
}
