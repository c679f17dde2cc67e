package weft.policy.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** The L7 part of a Cilium port rule: none (L3/L4 only), HTTP rules or Kafka rules. */
public sealed interface L7Rules {

  record None() implements L7Rules {}

  record Http(List<HttpRule> rules) implements L7Rules {
    public Http {
      rules = List.copyOf(rules);
    }
  }

  record Kafka(List<KafkaRule> rules) implements L7Rules {
    public Kafka {
      rules = List.copyOf(rules);
    }
  }

  L7Rules NONE = new None();

  /** A header a request must carry: present ({@code value} empty) or equal to {@code value}. */
  record HeaderMatch(String name, Optional<String> value) {
    public boolean matches(HttpRequest r) {
      Optional<String> v = r.header(name);
      return v.isPresent() && (value.isEmpty() || value.get().equals(v.get()));
    }
  }

  /**
   * A Cilium HTTP rule: every present field must match. {@code path} is the rule's location, e.g.
   * {@code spec.ingress[0].toPorts[0].rules.http[1]}.
   */
  record HttpRule(
      String path,
      Optional<Regex> method,
      Optional<Regex> urlPath,
      Optional<Regex> host,
      List<HeaderMatch> headers) {
    public HttpRule {
      headers = List.copyOf(headers);
    }

    public boolean matches(HttpRequest r) {
      if (method.isPresent() && !method.get().matches(r.method())) return false;
      // Cilium matches the :path pseudo-header, query included
      if (urlPath.isPresent() && !urlPath.get().matches(r.path())) return false;
      if (host.isPresent() && !host.get().matches(r.host())) return false;
      for (HeaderMatch h : headers) {
        if (!h.matches(r)) return false;
      }
      return true;
    }
  }

  /** A Cilium Kafka rule; {@code apiKeys} empty means any key. */
  record KafkaRule(
      String path,
      Set<Integer> apiKeys,
      OptionalInt apiVersion,
      Optional<String> clientId,
      Optional<String> topic) {
    public KafkaRule {
      apiKeys = Set.copyOf(apiKeys);
    }

    public boolean matches(KafkaRequest r) {
      if (!apiKeys.isEmpty() && !apiKeys.contains(r.apiKey())) return false;
      if (apiVersion.isPresent()
          && (r.apiVersion().isEmpty() || r.apiVersion().getAsInt() != apiVersion.getAsInt())) {
        return false;
      }
      if (clientId.isPresent() && !clientId.equals(r.clientId())) return false;
      return topic.isEmpty() || topic.equals(r.topic());
    }
  }
}
