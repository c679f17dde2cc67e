package weft.api.load;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import weft.api.Resource;
import weft.api.VirtualService;
import weft.api.meta.ObjectMeta;
import weft.api.traffic.Destination;
import weft.api.traffic.HeaderOperations;
import weft.api.traffic.HttpMatch;
import weft.api.traffic.HttpRoute;
import weft.api.traffic.StringMatch;

/** Decodes Istio's VirtualService (HTTP routes for the mesh), refusing what weft does not route. */
final class VirtualServiceDecoder {
  private VirtualServiceDecoder() {}

  static Optional<Resource> decode(ObjectMeta meta, Obj spec) {
    Problems problems = spec.problems();
    int before = problems.size();
    List<String> hosts = spec.strings("hosts");
    if (!spec.has("hosts") || hosts.isEmpty() && problems.size() == before) {
      problems.add(spec.at("hosts"), "at least one host is required");
    }
    for (int i = 0; i < hosts.size(); i++) {
      if (hosts.get(i).contains("*")) {
        problems.add(spec.at("hosts").index(i), "wildcard hosts are not supported by weft: " + Values.quote(hosts.get(i)));
      }
    }
    List<String> gateways = spec.strings("gateways");
    for (int i = 0; i < gateways.size(); i++) {
      if (!gateways.get(i).equals("mesh")) {
        problems.add(spec.at("gateways").index(i), "only the mesh gateway is supported by weft, got " + Values.quote(gateways.get(i)));
      }
    }
    List<HttpRoute> http = spec.objects("http", VirtualServiceDecoder::route);
    spec.unsupported("tcp", "tls", "exportTo");
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new VirtualService(meta, hosts, http));
  }

  private static Optional<HttpRoute> route(Obj r) {
    Problems problems = r.problems();
    int before = problems.size();
    Optional<String> name = r.string("name");
    List<HttpMatch> match = r.objects("match", VirtualServiceDecoder::match);
    List<HttpRoute.RouteDestination> route = r.objects("route", VirtualServiceDecoder::routeDestination);
    // a redirect/directResponse is reported as unsupported below; "route: required" would be noise
    if (!r.has("route") && !r.has("redirect") && !r.has("directResponse") && !r.has("delegate")) {
      r.raw("route");
      problems.add(r.at("route"), "required (weft supports routes to destinations only: no redirect or direct response)");
    } else if (route.size() > 1) {
      int total = route.stream().mapToInt(HttpRoute.RouteDestination::weight).sum();
      if (total == 0 && problems.size() == before) {
        problems.add(r.at("route"), "weights of several destinations must not all be 0");
      }
    }
    Optional<HttpRoute.Rewrite> rewrite =
        r.object("rewrite").map(w -> {
          Optional<String> uri = w.string("uri");
          Optional<String> authority = w.string("authority");
          w.unsupported("uriRegexRewrite");
          w.finish();
          return new HttpRoute.Rewrite(uri, authority);
        });
    Optional<Duration> timeout = duration(r, "timeout");
    Optional<HttpRoute.Retries> retries =
        r.object("retries").map(t -> {
          int attempts = t.integer("attempts", 0, 1_000).orElse(0);
          Optional<Duration> perTry = duration(t, "perTryTimeout");
          Optional<String> retryOn = t.string("retryOn");
          t.unsupported("retryRemoteLocalities", "retryIgnorePreviousHosts", "backoff");
          t.finish();
          return new HttpRoute.Retries(attempts, perTry, retryOn);
        });
    Optional<HttpRoute.Fault> fault = r.object("fault").map(VirtualServiceDecoder::fault);
    Optional<Destination> mirror = r.object("mirror").flatMap(VirtualServiceDecoder::destination);
    Optional<Double> mirrorPercentage = r.object("mirrorPercentage").flatMap(VirtualServiceDecoder::percent);
    if (mirrorPercentage.isPresent() && mirror.isEmpty() && !r.has("mirror")) {
      problems.add(r.at("mirrorPercentage"), "needs mirror");
    }
    HeaderOperations.Headers headers = r.object("headers").map(VirtualServiceDecoder::headers).orElse(HeaderOperations.Headers.NONE);
    r.unsupported("redirect", "directResponse", "delegate", "mirrors", "mirror_percent", "mirrorPercent", "corsPolicy");
    r.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new HttpRoute(name, match, route, rewrite, timeout, retries, fault, mirror, mirrorPercentage, headers));
  }

  private static Optional<HttpMatch> match(Obj m) {
    Problems problems = m.problems();
    int before = problems.size();
    Optional<String> name = m.string("name");
    Optional<StringMatch> uri = m.object("uri").flatMap(VirtualServiceDecoder::stringMatch);
    Optional<StringMatch> method = m.object("method").flatMap(VirtualServiceDecoder::stringMatch);
    Map<String, StringMatch> headers = new LinkedHashMap<>();
    m.object("headers").ifPresent(h -> {
      for (String key : h.fieldNames()) {
        Optional<StringMatch> sm = h.object(key).flatMap(VirtualServiceDecoder::stringMatch);
        if (!key.equals(key.toLowerCase(Locale.ROOT))) {
          problems.add(h.path().key(key), "header names must be lower-case (Istio), got " + Values.quote(key));
        } else {
          sm.ifPresent(s -> headers.put(key, s));
        }
      }
      h.finish();
    });
    boolean ignoreUriCase = m.bool("ignoreUriCase").orElse(false);
    m.unsupported("scheme", "authority", "port", "queryParams", "sourceLabels", "gateways",
        "sourceNamespace", "withoutHeaders", "statPrefix");
    m.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new HttpMatch(name, uri, method, headers, ignoreUriCase));
  }

  private static Optional<StringMatch> stringMatch(Obj s) {
    Problems problems = s.problems();
    int before = problems.size();
    Optional<StringMatch> out = Optional.empty();
    int set = 0;
    for (StringMatch.Type type : StringMatch.Type.values()) {
      String field = type.name().toLowerCase(Locale.ROOT);
      Optional<String> v = s.string(field);
      if (v.isPresent()) {
        set++;
        out = Optional.of(new StringMatch(type, v.get()));
        if (type == StringMatch.Type.REGEX) {
          try {
            Pattern.compile(v.get());
          } catch (PatternSyntaxException e) {
            problems.add(s.at(field), "invalid regex " + Values.quote(v.get()) + ": " + e.getDescription());
          }
        }
      }
    }
    s.finish();
    if (set != 1 && problems.size() == before) {
      problems.add(s.path(), "exactly one of exact, prefix or regex is required");
    }
    return problems.size() > before ? Optional.empty() : out;
  }

  private static Optional<HttpRoute.RouteDestination> routeDestination(Obj d) {
    int before = d.problems().size();
    Optional<Destination> destination = d.object("destination").flatMap(VirtualServiceDecoder::destination);
    if (!d.has("destination")) {
      InventoryDecoder.missing(d, "destination");
    }
    int weight = d.integer("weight", 0, Integer.MAX_VALUE).orElse(0);
    HeaderOperations.Headers headers = d.object("headers").map(VirtualServiceDecoder::headers).orElse(HeaderOperations.Headers.NONE);
    d.finish();
    if (d.problems().size() > before || destination.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HttpRoute.RouteDestination(destination.get(), weight, headers));
  }

  private static Optional<Destination> destination(Obj d) {
    int before = d.problems().size();
    Optional<String> host = d.requiredString("host");
    Optional<String> subset = d.string("subset");
    Optional<Integer> port = d.object("port").flatMap(p -> {
      Optional<Integer> n = p.integer("number", 1, 65535);
      p.finish();
      if (n.isEmpty() && !p.has("number")) {
        InventoryDecoder.missing(p, "number");
      }
      return n;
    });
    d.finish();
    return d.problems().size() > before || host.isEmpty() ? Optional.empty() : Optional.of(new Destination(host.get(), subset, port));
  }

  private static HeaderOperations.Headers headers(Obj h) {
    HeaderOperations request = h.object("request").map(VirtualServiceDecoder::operations).orElse(HeaderOperations.NONE);
    HeaderOperations response = h.object("response").map(VirtualServiceDecoder::operations).orElse(HeaderOperations.NONE);
    h.finish();
    return new HeaderOperations.Headers(request, response);
  }

  private static HeaderOperations operations(Obj o) {
    Map<String, String> set = o.stringMap("set");
    Map<String, String> add = o.stringMap("add");
    List<String> remove = o.strings("remove");
    o.finish();
    return new HeaderOperations(set, add, remove);
  }

  private static HttpRoute.Fault fault(Obj f) {
    Optional<HttpRoute.Delay> delay = f.object("delay").flatMap(d -> {
      Optional<Duration> fixed = duration(d, "fixedDelay");
      if (!d.has("fixedDelay")) {
        InventoryDecoder.missing(d, "fixedDelay");
      }
      double pct = d.object("percentage").flatMap(VirtualServiceDecoder::percent).orElse(100.0);
      d.unsupported("exponentialDelay", "percent");
      d.finish();
      return fixed.map(x -> new HttpRoute.Delay(x, pct));
    });
    Optional<HttpRoute.Abort> abort = f.object("abort").flatMap(a -> {
      Optional<Integer> status = a.integer("httpStatus", 200, 599);
      if (!a.has("httpStatus") && !a.has("grpcStatus") && !a.has("http2Error")) {
        InventoryDecoder.missing(a, "httpStatus");
      }
      double pct = a.object("percentage").flatMap(VirtualServiceDecoder::percent).orElse(100.0);
      a.unsupported("grpcStatus", "http2Error");
      a.finish();
      return status.map(s -> new HttpRoute.Abort(s, pct));
    });
    f.finish();
    return new HttpRoute.Fault(delay, abort);
  }

  /** Istio's {@code Percent}: {@code {value: 0..100}}. */
  static Optional<Double> percent(Obj p) {
    Optional<Double> v = p.raw("value").flatMap(n -> {
      if (!n.isNumber() || n.doubleValue() < 0 || n.doubleValue() > 100) {
        p.problems().add(p.at("value"), "expected a number 0..100, got " + Values.describe(n));
        return Optional.empty();
      }
      return Optional.of(n.doubleValue());
    });
    p.finish();
    return v;
  }

  /** A protobuf Duration as Istio writes it: Go syntax ({@code 1.5s}, {@code 300ms}, {@code 1h2m}). */
  static Optional<Duration> duration(Obj o, String field) {
    return o.string(field).flatMap(s -> {
      Optional<Duration> d = GoDuration.parse(s);
      if (d.isEmpty()) {
        o.problems().add(o.at(field), "expected a duration such as 1s, 500ms or 1m30s, got " + Values.quote(s));
      } else if (d.get().isNegative()) {
        o.problems().add(o.at(field), "must not be negative, got " + Values.quote(s));
        return Optional.empty();
      }
      return d;
    });
  }
}
