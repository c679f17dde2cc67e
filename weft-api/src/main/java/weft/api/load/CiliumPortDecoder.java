package weft.api.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import weft.api.cilium.AnchoredRegex;
import weft.api.cilium.HeaderMatch;
import weft.api.cilium.HttpHeader;
import weft.api.cilium.HttpRule;
import weft.api.cilium.KafkaApiKey;
import weft.api.cilium.KafkaRule;
import weft.api.cilium.L7Rules;
import weft.api.cilium.PortProtocol;
import weft.api.cilium.PortRule;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/** Decodes Cilium {@code toPorts[]}: ports and the HTTP / Kafka L7 rules. */
final class CiliumPortDecoder {
  private static final int MAX_TOPIC_LENGTH = 255;
  /** Cilium's maxPorts per port rule. */
  private static final int MAX_PORTS = 40;

  private CiliumPortDecoder() {}

  static Optional<PortRule> portRule(Obj o, boolean deny) {
    Problems problems = o.problems();
    int before = problems.size();
    List<PortProtocol> ports = o.objects("ports", CiliumPortDecoder::portProtocol);
    Optional<L7Rules> rules = Optional.empty();
    if (deny) {
      if (o.has("rules")) {
        o.raw("rules");
        problems.add(o.at("rules"), "L7 rules are not allowed in deny rules");
      }
    } else {
      rules = o.object("rules").flatMap(CiliumPortDecoder::l7Rules);
      if (rules.isPresent()) {
        // Cilium PortRule.Validate: L7 rules apply to TCP only (not ANY), never to port 0.
        JsonNode written =
            o.raw("ports").orElse(MissingNode.getInstance());
        if (ports.isEmpty() && !o.has("ports")) {
          problems.add(o.at("ports"), "required with L7 rules (they apply to the listed TCP ports)");
        }
        for (int i = 0; i < ports.size(); i++) {
          PortProtocol p = ports.get(i);
          if (p.protocol() != Protocol.TCP) {
            boolean defaulted = !written.path(i).has("protocol");
            problems.add(
                o.at("ports").index(i).field("protocol"),
                "L7 rules need protocol TCP, got " + p.protocol()
                    + (defaulted ? " (the default when protocol is omitted)" : ""));
          }
          if (p.port() instanceof PortRef.Number n && n.port() == 0) {
            problems.add(o.at("ports").index(i).field("port"), "L7 rules can not be used when a port is 0");
          }
        }
      }
    }
    if (ports.size() > MAX_PORTS) {
      problems.add(o.at("ports"), "too many ports: " + ports.size() + " (expected: at most " + MAX_PORTS + ")");
    }
    o.unsupported("serverNames", "originatingTLS", "terminatingTLS", "listener");
    o.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new PortRule(ports, rules));
  }

  private static Optional<PortProtocol> portProtocol(Obj o) {
    Problems problems = o.problems();
    int before = problems.size();
    PortRef port = PortRef.of(0);
    if (o.has("port")) {
      Optional<PortRef> p = o.raw("port").flatMap(v -> PortDecoder.ciliumPort(v, o.at("port"), problems));
      port = p.orElse(port);
    } else {
      o.raw("port");
    }
    Optional<Integer> endPort = o.integer("endPort", 0, 65535);
    if (endPort.isPresent()) {
      if (!(port instanceof PortRef.Number n)) {
        problems.add(o.at("endPort"), "cannot be used with the named port " + Values.quote(port.toString()));
      } else if (n.port() > endPort.get()) {
        problems.add(o.at("endPort"), "expected endPort >= port " + n.port() + ", got " + endPort.get());
      }
    }
    Optional<Protocol> protocol = PortDecoder.protocol(o, "protocol", true);
    o.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new PortProtocol(port, endPort, protocol.get()));
  }

  private static Optional<L7Rules> l7Rules(Obj o) {
    Problems problems = o.problems();
    int before = problems.size();
    List<HttpRule> http = o.objects("http", CiliumPortDecoder::httpRule);
    List<KafkaRule> kafka = o.objects("kafka", CiliumPortDecoder::kafkaRule);
    o.unsupported("dns", "l7proto", "l7");
    if (o.has("http") && o.has("kafka")) {
      problems.add(o.path(), "only one L7 protocol per port rule: http or kafka");
    }
    o.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    if (o.has("http")) {
      return Optional.of(new L7Rules.Http(http));
    }
    if (o.has("kafka")) {
      return Optional.of(new L7Rules.Kafka(kafka));
    }
    return Optional.empty();
  }

  private static Optional<HttpRule> httpRule(Obj o) {
    Problems problems = o.problems();
    int before = problems.size();
    Optional<AnchoredRegex> method = regex(o, "method");
    Optional<AnchoredRegex> path = regex(o, "path");
    Optional<AnchoredRegex> host = regex(o, "host");
    List<HttpHeader> headers = o.list("headers", (v, at) -> Values.string(v, at, problems).flatMap(s -> header(s, at, problems)));
    List<HeaderMatch> headerMatches = o.objects("headerMatches", CiliumPortDecoder::headerMatch);
    o.finish();
    return problems.size() > before
        ? Optional.empty()
        : Optional.of(new HttpRule(method, path, host, headers, headerMatches));
  }

  private static Optional<AnchoredRegex> regex(Obj o, String field) {
    return o.string(field)
        .filter(s -> !s.isEmpty()) // Cilium: empty means "any"
        .flatMap(
            s -> {
              try {
                return Optional.of(AnchoredRegex.compile(s));
              } catch (PatternSyntaxException e) {
                o.problems().add(o.at(field), "invalid regex " + Values.quote(s) + ": " + e.getDescription());
                return Optional.empty();
              }
            });
  }

  /** Cilium splits "Name: value" / "Name value" at the first space; no space: presence only. */
  private static Optional<HttpHeader> header(String s, FieldPath at, Problems problems) {
    String trimmed = s.trim();
    int space = trimmed.indexOf(' ');
    String name = space < 0 ? trimmed : trimmed.substring(0, space);
    if (name.endsWith(":")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty() || name.contains(":")) {
      problems.add(at, "invalid header " + Values.quote(s) + " (expected: \"Name\" or \"Name: value\")");
      return Optional.empty();
    }
    Optional<String> value = space < 0 ? Optional.empty() : Optional.of(trimmed.substring(space + 1).trim());
    return Optional.of(new HttpHeader(name, value));
  }

  private static Optional<HeaderMatch> headerMatch(Obj o) {
    Problems problems = o.problems();
    int before = problems.size();
    Optional<String> name = o.requiredString("name");
    Optional<String> value = o.string("value");
    Optional<HeaderMatch.MismatchAction> mismatch =
        o.string("mismatch")
            .flatMap(
                s -> {
                  for (HeaderMatch.MismatchAction a : HeaderMatch.MismatchAction.values()) {
                    if (a.name().equals(s)) {
                      return Optional.of(a);
                    }
                  }
                  problems.add(o.at("mismatch"), "unknown mismatch action " + Values.quote(s) + " (expected: LOG, ADD, DELETE or REPLACE)");
                  return Optional.empty();
                });
    o.unsupported("secret");
    o.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new HeaderMatch(name.get(), value, mismatch));
  }

  private static Optional<KafkaRule> kafkaRule(Obj o) {
    Problems problems = o.problems();
    int before = problems.size();
    Optional<KafkaRule.Role> role =
        o.string("role")
            .filter(s -> !s.isEmpty())
            .flatMap(
                s -> {
                  switch (s.toLowerCase(Locale.ROOT)) {
                    case "produce":
                      return Optional.of(KafkaRule.Role.PRODUCE);
                    case "consume":
                      return Optional.of(KafkaRule.Role.CONSUME);
                    default:
                      problems.add(o.at("role"), "unknown role " + Values.quote(s) + " (expected: produce or consume)");
                      return Optional.empty();
                  }
                });
    Optional<KafkaApiKey> apiKey =
        o.string("apiKey")
            .filter(s -> !s.isEmpty())
            .flatMap(
                s -> {
                  Optional<KafkaApiKey> k = KafkaApiKey.of(s);
                  if (k.isEmpty()) {
                    problems.add(o.at("apiKey"), "unknown Kafka API key " + Values.quote(s) + " (expected: a name such as produce, fetch, metadata)");
                  }
                  return k;
                });
    if (o.has("role") && o.has("apiKey")) {
      problems.add(o.path(), "role and apiKey are mutually exclusive");
    }
    Optional<Integer> apiVersion =
        o.string("apiVersion")
            .filter(s -> !s.isEmpty())
            .flatMap(
                s -> {
                  if (s.length() > 5 || !s.chars().allMatch(Character::isDigit) || Integer.parseInt(s) > 32767) {
                    problems.add(o.at("apiVersion"), "expected a number 0..32767, got " + Values.quote(s));
                    return Optional.empty();
                  }
                  return Optional.of(Integer.parseInt(s));
                });
    Optional<String> clientId = o.string("clientID").filter(s -> !s.isEmpty());
    Optional<String> topic = o.string("topic").filter(s -> !s.isEmpty());
    topic.ifPresent(
        t -> {
          if (t.length() > MAX_TOPIC_LENGTH || !t.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-')) {
            problems.add(o.at("topic"), "invalid topic " + Values.quote(t) + " (expected: at most 255 of a-z, A-Z, 0-9, '.', '_' and '-')");
          }
        });
    o.finish();
    return problems.size() > before
        ? Optional.empty()
        : Optional.of(new KafkaRule(role, apiKey, apiVersion, clientId, topic));
  }
}
