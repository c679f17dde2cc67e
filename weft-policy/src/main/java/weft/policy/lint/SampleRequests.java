package weft.policy.lint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import weft.policy.engine.MapEntry;
import weft.policy.engine.WorkloadPolicy;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Clause;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.HttpRequest;
import weft.policy.model.IstioString;
import weft.policy.model.L7Rules;
import weft.policy.model.Regex;

/**
 * HTTP requests worth asking about a workload: ones its Cilium HTTP rules and Istio operations
 * name (and near misses), so lint can find dialects that disagree at L7, not only at L4.
 */
final class SampleRequests {
  private static final int MAX = 8;

  private SampleRequests() {}

  static List<Optional<HttpRequest>> of(WorkloadPolicy w) {
    Set<String> lines = new LinkedHashSet<>();
    for (MapEntry e : w.label(Dialect.CILIUM, Direction.INGRESS).allows()) {
      if (e.l7() instanceof L7Rules.Http h) {
        for (L7Rules.HttpRule r : h.rules()) {
          String method = r.method().flatMap(SampleRequests::sample).orElse("GET");
          String path = r.urlPath().flatMap(SampleRequests::sample).orElse("/");
          lines.add(method + " " + path);
          lines.add(method + " " + path + "/x");
        }
      }
    }
    List<AuthzPolicy> istio = new ArrayList<>(w.istio().allows());
    istio.addAll(w.istio().denies());
    for (AuthzPolicy p : istio) {
      for (AuthzPolicy.AuthzRule r : p.rules()) {
        for (List<Clause> op : r.to()) {
          String method = "GET";
          String path = "/";
          for (Clause c : op) {
            if (c.negated() || !(c.values() instanceof Clause.Values.Strings s) || s.values().isEmpty()) continue;
            if (c.attribute() == Clause.Attribute.METHOD) method = example(s.values().get(0));
            if (c.attribute() == Clause.Attribute.PATH) path = example(s.values().get(0));
          }
          lines.add(method + " " + path);
        }
      }
    }
    List<Optional<HttpRequest>> out = new ArrayList<>();
    out.add(Optional.empty());
    if (!lines.isEmpty()) lines.add("GET /");
    for (String l : lines) {
      if (out.size() > MAX) break;
      int sp = l.indexOf(' ');
      out.add(Optional.of(new HttpRequest(l.substring(0, sp), l.substring(sp + 1), w.workload().name(), Map.of())));
    }
    return out;
  }

  /** A value the regex matches, for the common shapes of method and path regexes. */
  private static Optional<String> sample(Regex r) {
    String s = r.source().replace("[0-9]+", "1").replace("\\d+", "1").replace(".*", "").replace("(/1)?", "/1");
    int bar = s.indexOf('|');
    if (bar > 0 && s.indexOf('(') < 0) s = s.substring(0, bar);
    return r.matches(s) ? Optional.of(s) : Optional.empty();
  }

  private static String example(IstioString s) {
    return switch (s.kind()) {
      case EXACT -> s.text();
      case PREFIX -> s.text() + "x";
      case SUFFIX -> "/x" + s.text();
      case PRESENCE -> "/";
    };
  }
}
