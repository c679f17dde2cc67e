package weft.api.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/** Port numbers, named ports and protocols, as Kubernetes and Cilium write them. */
final class PortDecoder {
  private PortDecoder() {}

  /** Kubernetes IntOrString port: a number {@code min..65535} or an IANA service name. */
  static Optional<PortRef> kubernetesPort(JsonNode v, int min, FieldPath at, Problems problems) {
    if (v.isTextual()) {
      String s = v.textValue();
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        problems.add(at, "expected a port number or a port name, got " + Values.quote(s) + " (write the number without quotes)");
        return Optional.empty();
      }
      Optional<String> problem = KubernetesNames.checkPortName(s);
      problem.ifPresent(p -> problems.add(at, p));
      return problem.isPresent() ? Optional.empty() : Optional.of(PortRef.of(s));
    }
    if (v.isNumber()) {
      return Values.integer(v, min, 65535, at, problems).map(PortRef::of);
    }
    problems.add(at, "expected a port number or a port name, got " + Values.describe(v));
    return Optional.empty();
  }

  /**
   * Cilium port: a string (or number) holding a number 0..65535 (0 = every port) or a port name.
   */
  static Optional<PortRef> ciliumPort(JsonNode v, FieldPath at, Problems problems) {
    if (v.isNumber()) {
      return Values.integer(v, 0, 65535, at, problems).map(PortRef::of);
    }
    if (!v.isTextual()) {
      problems.add(at, "expected a port number or a port name, got " + Values.describe(v));
      return Optional.empty();
    }
    String s = v.textValue();
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      if (s.length() > 5 || Integer.parseInt(s) > 65535) {
        problems.add(at, "expected a port number 0..65535, got " + Values.quote(s));
        return Optional.empty();
      }
      return Optional.of(PortRef.of(Integer.parseInt(s)));
    }
    // Cilium lower-cases named ports before matching them.
    String name = s.toLowerCase(Locale.ROOT);
    Optional<String> problem = KubernetesNames.checkPortName(name);
    problem.ifPresent(p -> problems.add(at, p));
    return problem.isPresent() ? Optional.empty() : Optional.of(PortRef.of(name));
  }

  /** {@code protocol}: TCP when omitted; ANY only where {@code allowAny}. */
  static Optional<Protocol> protocol(Obj o, String field, boolean allowAny) {
    Optional<String> s = o.string(field);
    if (s.isEmpty()) {
      return o.has(field) ? Optional.empty() : Optional.of(allowAny ? Protocol.ANY : Protocol.TCP);
    }
    for (Protocol p : Protocol.values()) {
      if (p.name().equals(s.get()) && (allowAny || p != Protocol.ANY)) {
        return Optional.of(p);
      }
    }
    o.problems().add(
        o.at(field),
        "unknown protocol " + Values.quote(s.get()) + " (expected: TCP, UDP" + (allowAny ? ", SCTP or ANY)" : " or SCTP)"));
    return Optional.empty();
  }
}
