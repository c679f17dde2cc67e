package weft.api.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.api.cilium.EndpointSelector;
import weft.api.meta.LabelRequirement;
import weft.api.meta.LabelRequirement.Operator;
import weft.api.meta.LabelSelector;

/**
 * Decodes Kubernetes label selectors ({@code matchLabels}, {@code matchExpressions}). In Cilium mode
 * keys may carry a label source ({@code k8s:app}) and are normalized to {@code source:key}.
 */
final class SelectorDecoder {
  private SelectorDecoder() {}

  enum Keys {
    KUBERNETES,
    CILIUM
  }

  static Optional<LabelSelector> decode(Obj o, Keys keys) {
    Problems problems = o.problems();
    int before = problems.size();
    Map<String, String> matchLabels = new LinkedHashMap<>();
    FieldPath labelsAt = o.at("matchLabels");
    o.stringMap("matchLabels")
        .forEach(
            (k, v) -> {
              Optional<String> key = key(k, keys, labelsAt.key(k), problems);
              KubernetesNames.checkLabelValue(v).ifPresent(p -> problems.add(labelsAt.key(k), p));
              key.ifPresent(
                  kk -> {
                    if (matchLabels.putIfAbsent(kk, v) != null) {
                      problems.add(labelsAt.key(k), "duplicate key " + Values.quote(kk) + " after adding its label source");
                    }
                  });
            });
    List<LabelRequirement> expressions = o.objects("matchExpressions", e -> requirement(e, keys));
    o.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new LabelSelector(matchLabels, expressions));
  }

  private static Optional<LabelRequirement> requirement(Obj e, Keys keys) {
    Problems problems = e.problems();
    int before = problems.size();
    Optional<String> key = e.requiredString("key").flatMap(k -> key(k, keys, e.at("key"), problems));
    Optional<Operator> operator =
        e.requiredString("operator")
            .flatMap(
                s -> {
                  for (Operator op : Operator.values()) {
                    if (op.wireName().equals(s)) {
                      return Optional.of(op);
                    }
                  }
                  problems.add(
                      e.at("operator"),
                      "unknown operator " + Values.quote(s) + " (expected: In, NotIn, Exists or DoesNotExist)");
                  return Optional.empty();
                });
    List<String> values = e.strings("values");
    values.forEach(
        v -> KubernetesNames.checkLabelValue(v).ifPresent(p -> problems.add(e.at("values"), p)));
    e.finish();
    if (operator.isPresent()) {
      if (operator.get().needsValues() && values.isEmpty()) {
        problems.add(e.at("values"), "required: " + operator.get().wireName() + " needs at least one value");
      } else if (!operator.get().needsValues() && !values.isEmpty()) {
        problems.add(e.at("values"), "must be empty for " + operator.get().wireName());
      }
    }
    if (problems.size() > before || key.isEmpty() || operator.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LabelRequirement(key.get(), operator.get(), values));
  }

  private static Optional<String> key(String key, Keys keys, FieldPath at, Problems problems) {
    String bare = key;
    String normalized = key;
    if (keys == Keys.CILIUM) {
      normalized = EndpointSelector.normalizeKey(key);
      int colon = normalized.indexOf(':');
      String source = normalized.substring(0, colon);
      bare = normalized.substring(colon + 1);
      if (!EndpointSelector.knownSource(source)) {
        problems.add(
            at,
            "unknown label source " + Values.quote(source)
                + " (expected: k8s, any, reserved, unspec, container or cidr)");
        return Optional.empty();
      }
    }
    Optional<String> problem = KubernetesNames.checkLabelKey(bare);
    if (problem.isPresent()) {
      problems.add(at, problem.get());
      return Optional.empty();
    }
    return Optional.of(normalized);
  }
}
