package weft.api.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import weft.api.AuthorizationPolicy;
import weft.api.PeerAuthentication;
import weft.api.Resource;
import weft.api.istio.Action;
import weft.api.istio.AuthorizationRule;
import weft.api.istio.Condition;
import weft.api.istio.MtlsMode;
import weft.api.istio.Operation;
import weft.api.istio.Source;
import weft.api.meta.Cidr;
import weft.api.meta.ObjectMeta;

/** Decodes Istio's AuthorizationPolicy and PeerAuthentication with Istio's validation rules. */
final class IstioDecoder {
  private IstioDecoder() {}

  static Optional<Resource> authorizationPolicy(ObjectMeta meta, Optional<Obj> specOrEmpty) {
    if (specOrEmpty.isEmpty()) {
      // Istio: a policy without spec is an ALLOW policy with no rules (allow nothing).
      return Optional.of(new AuthorizationPolicy(meta, Map.of(), Action.ALLOW, List.of()));
    }
    Obj spec = specOrEmpty.get();
    Problems problems = spec.problems();
    int before = problems.size();
    Map<String, String> selector = selector(spec);
    Optional<Action> action =
        spec.string("action")
            .map(
                s ->
                    switch (s) {
                      case "ALLOW" -> Action.ALLOW;
                      case "DENY" -> Action.DENY;
                      case "AUDIT" -> Action.AUDIT;
                      case "CUSTOM" -> {
                        problems.add(spec.at("action"), "action CUSTOM is not supported");
                        yield null;
                      }
                      default -> {
                        problems.add(spec.at("action"), "unknown action " + Values.quote(s) + " (expected: ALLOW, DENY or AUDIT)");
                        yield null;
                      }
                    });
    List<AuthorizationRule> rules = spec.objects("rules", IstioDecoder::rule);
    spec.unsupported("targetRef", "targetRefs", "provider");
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new AuthorizationPolicy(meta, selector, action.orElse(Action.ALLOW), rules));
  }

  private static Map<String, String> selector(Obj spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    spec.object("selector")
        .ifPresent(
            s -> {
              labels.putAll(MetadataDecoder.labels(s, "matchLabels"));
              s.finish();
            });
    return labels;
  }

  private static Optional<AuthorizationRule> rule(Obj r) {
    Problems problems = r.problems();
    int before = problems.size();
    List<Source> from = r.objects("from", f -> wrapped(f, "source", IstioDecoder::source));
    List<Operation> to = r.objects("to", t -> wrapped(t, "operation", IstioDecoder::operation));
    List<Condition> when = r.objects("when", IstioConditions::condition);
    // Istio: an explicitly empty from/to list is an error (it would silently match nothing).
    for (String f : List.of("from", "to")) {
      if (r.raw(f).map(v -> v.isArray() && v.isEmpty()).orElse(false)) {
        problems.add(r.at(f), "must not be empty (omit it to match any " + (f.equals("from") ? "source" : "operation") + ")");
      }
    }
    r.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new AuthorizationRule(from, to, when));
  }

  private static <T> Optional<T> wrapped(Obj o, String field, Function<Obj, Optional<T>> inner) {
    Optional<T> value = o.object(field).flatMap(inner);
    if (!o.has(field)) {
      o.raw(field);
      o.problems().add(o.at(field), "required");
    }
    o.finish();
    return value;
  }

  private static Optional<Source> source(Obj s) {
    Problems problems = s.problems();
    int before = problems.size();
    Source source =
        new Source(
            matches(s, "principals"), matches(s, "notPrincipals"),
            matches(s, "requestPrincipals"), matches(s, "notRequestPrincipals"),
            matches(s, "namespaces"), matches(s, "notNamespaces"),
            ipBlocks(s, "ipBlocks"), ipBlocks(s, "notIpBlocks"),
            ipBlocks(s, "remoteIpBlocks"), ipBlocks(s, "notRemoteIpBlocks"));
    s.unsupported("serviceAccounts", "notServiceAccounts");
    s.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    if (!source.hasAnyField()) {
      problems.add(s.path(), "must not be empty");
      return Optional.empty();
    }
    return Optional.of(source);
  }

  private static Optional<Operation> operation(Obj o) {
    Problems problems = o.problems();
    int before = problems.size();
    Operation op =
        new Operation(
            matches(o, "hosts"), matches(o, "notHosts"),
            ports(o, "ports"), ports(o, "notPorts"),
            matches(o, "methods"), matches(o, "notMethods"),
            paths(o, "paths"), paths(o, "notPaths"));
    o.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    if (!op.hasAnyField()) {
      problems.add(o.path(), "must not be empty");
      return Optional.empty();
    }
    return Optional.of(op);
  }

  /** Istio string match values: exact, {@code prefix*}, {@code *suffix} or {@code *}. */
  static List<String> matches(Obj o, String field) {
    List<String> values = o.strings(field);
    for (int i = 0; i < values.size(); i++) {
      FieldPath at = o.at(field).index(i);
      IstioConditions.checkStringMatch(values.get(i)).ifPresent(p -> o.problems().add(at, p));
    }
    return values;
  }

  private static List<String> paths(Obj o, String field) {
    List<String> values = matches(o, field);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).contains("{")) {
        o.problems().add(o.at(field).index(i), "path templates ({*}, {**}) are not supported by weft: " + Values.quote(values.get(i)));
      }
    }
    return values;
  }

  private static List<Integer> ports(Obj o, String field) {
    return o.list(field, (v, at) -> IstioConditions.port(v, at, o.problems()));
  }

  private static List<Cidr> ipBlocks(Obj o, String field) {
    return o.list(
        field,
        (v, at) -> Values.string(v, at, o.problems()).flatMap(s -> IstioConditions.ipOrCidr(s, at, o.problems())));
  }

  static Optional<Resource> peerAuthentication(ObjectMeta meta, Optional<Obj> specOrEmpty) {
    if (specOrEmpty.isEmpty()) {
      return Optional.of(new PeerAuthentication(meta, Map.of(), MtlsMode.UNSET, Map.of()));
    }
    Obj spec = specOrEmpty.get();
    Problems problems = spec.problems();
    int before = problems.size();
    Map<String, String> selector = selector(spec);
    MtlsMode mode = spec.object("mtls").flatMap(IstioDecoder::mtls).orElse(MtlsMode.UNSET);
    Map<Integer, MtlsMode> portLevel = new LinkedHashMap<>();
    spec.object("portLevelMtls")
        .ifPresent(
            m -> {
              for (String key : m.fieldNames()) {
                FieldPath at = m.path().key(key);
                Optional<Integer> port = Optional.empty();
                if (!key.isEmpty() && key.length() <= 5 && key.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(key) >= 1 && Integer.parseInt(key) <= 65535) {
                  port = Optional.of(Integer.parseInt(key));
                } else {
                  problems.add(at, "expected a port number 1..65535 as key, got " + Values.quote(key));
                }
                Optional<MtlsMode> portMode = m.object(key).flatMap(IstioDecoder::mtls);
                if (port.isPresent() && portMode.isPresent()) {
                  portLevel.put(port.get(), portMode.get());
                }
              }
              m.finish();
            });
    if (!portLevel.isEmpty() && selector.isEmpty()) {
      problems.add(spec.at("portLevelMtls"), "needs a workload selector (Istio applies port-level mTLS only to selected workloads)");
    }
    spec.unsupported("targetRef", "targetRefs");
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new PeerAuthentication(meta, selector, mode, portLevel));
  }

  private static Optional<MtlsMode> mtls(Obj m) {
    Optional<MtlsMode> mode =
        m.string("mode")
            .flatMap(
                s -> {
                  for (MtlsMode v : MtlsMode.values()) {
                    if (v.name().equals(s)) {
                      return Optional.of(v);
                    }
                  }
                  m.problems().add(m.at("mode"), "unknown mode " + Values.quote(s) + " (expected: STRICT, PERMISSIVE, DISABLE or UNSET)");
                  return Optional.empty();
                });
    m.finish();
    return m.has("mode") ? mode : Optional.of(MtlsMode.UNSET);
  }
}
