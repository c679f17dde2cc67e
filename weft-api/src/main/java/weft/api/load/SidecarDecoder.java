package weft.api.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.api.Resource;
import weft.api.Sidecar;
import weft.api.istio.EgressHost;
import weft.api.meta.ObjectMeta;

/**
 * Decodes Istio's Sidecar (istio.io, "Sidecar" reference): {@code workloadSelector.labels}, one
 * egress listener's {@code hosts}, {@code outboundTrafficPolicy.mode: REGISTRY_ONLY} (what weft's
 * proxies do anyway: a host no service answers gets a 404); refuses the rest by path.
 */
final class SidecarDecoder {
  private SidecarDecoder() {}

  static Optional<Resource> decode(ObjectMeta meta, Obj spec) {
    Problems problems = spec.problems();
    int before = problems.size();
    Map<String, String> selector = spec.object("workloadSelector").map(SidecarDecoder::selector).orElse(Map.of());
    List<EgressHost> hosts = new ArrayList<>();
    List<Obj> egress = spec.objects("egress", Optional::of);
    for (int i = 0; i < egress.size(); i++) {
      Obj e = egress.get(i);
      if (i > 0) {
        problems.add(spec.at("egress").index(i),
            "weft supports one egress listener (per-port egress listeners are not supported); put every host in egress[0].hosts");
      }
      hosts.addAll(hosts(e));
      e.unsupported("port", "bind", "captureMode");
      e.finish();
    }
    if (egress.isEmpty()) {
      // Istio: a Sidecar without egress listeners imports every service, as no Sidecar would
      hosts.add(new EgressHost("*", "*"));
    }
    spec.object("outboundTrafficPolicy").ifPresent(SidecarDecoder::outboundTrafficPolicy);
    spec.unsupported("ingress", "inboundConnectionPool");
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Sidecar(meta, selector, hosts));
  }

  private static Map<String, String> selector(Obj s) {
    Map<String, String> labels = MetadataDecoder.labels(s, "labels");
    if (labels.isEmpty()) {
      s.problems().add(s.at("labels"), "required: at least one label (omit workloadSelector for the namespace-wide default)");
    }
    s.finish();
    return labels;
  }

  private static List<EgressHost> hosts(Obj e) {
    if (!e.has("hosts")) {
      e.problems().add(e.at("hosts"), "required: at least one namespace/dnsName");
      return List.of();
    }
    List<EgressHost> out = e.list("hosts", (v, at) -> Values.string(v, at, e.problems()).flatMap(s -> host(s, at, e.problems())));
    return out;
  }

  /** {@code namespace/dnsName} as Istio validates it. */
  static Optional<EgressHost> host(String s, FieldPath at, Problems problems) {
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
      problems.add(at, "expected namespace/dnsName (e.g. ./*, istio-system/*, prod/reviews.prod.svc.cluster.local), got " + Values.quote(s));
      return Optional.empty();
    }
    String ns = s.substring(0, slash);
    String dns = s.substring(slash + 1);
    if (!ns.equals(".") && !ns.equals("*") && !ns.equals("~")) {
      Optional<String> bad = KubernetesNames.checkDnsLabel(ns);
      if (bad.isPresent()) {
        problems.add(at, "namespace of " + Values.quote(s) + ": " + bad.get() + "; or ., * or ~");
        return Optional.empty();
      }
    }
    String name = dns.startsWith("*.") ? dns.substring(2) : dns;
    if (!dns.equals("*") && (name.contains("*") || KubernetesNames.checkDnsSubdomain(name.toLowerCase(java.util.Locale.ROOT)).isPresent())) {
      problems.add(at, "dnsName of " + Values.quote(s) + ": expected *, a host name, or one left-most wildcard (*.example.com)");
      return Optional.empty();
    }
    return Optional.of(new EgressHost(ns, dns));
  }

  private static void outboundTrafficPolicy(Obj o) {
    o.string("mode").ifPresent(mode -> {
      switch (mode) {
        case "REGISTRY_ONLY" -> {}
        case "ALLOW_ANY" -> o.problems().add(o.at("mode"),
            "ALLOW_ANY is not supported by weft (its proxies have no passthrough to hosts outside the registry; expected: REGISTRY_ONLY)");
        default -> o.problems().add(o.at("mode"), "expected REGISTRY_ONLY, got " + Values.quote(mode));
      }
    });
    o.unsupported("egressProxy");
    o.finish();
  }
}
