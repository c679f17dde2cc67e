package weft.policy.translate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import weft.api.meta.LabelRequirement;
import weft.policy.identity.Identity;
import weft.policy.model.LabelSelector;

/** Converts weft-api label selectors, optionally prefixing keys (namespace labels). */
final class Selectors {
  private Selectors() {}

  static LabelSelector of(weft.api.meta.LabelSelector s) {
    return prefixed(s, "");
  }

  /** A namespaceSelector becomes a selector over Cilium's namespace-label identity labels. */
  static LabelSelector namespaceLabels(weft.api.meta.LabelSelector s) {
    return prefixed(s, Identity.NAMESPACE_LABEL_PREFIX);
  }

  private static LabelSelector prefixed(weft.api.meta.LabelSelector s, String prefix) {
    Map<String, String> m = new TreeMap<>();
    s.matchLabels().forEach((k, v) -> m.put(prefix + k, v));
    List<LabelSelector.Expression> xs = new ArrayList<>();
    for (LabelRequirement r : s.matchExpressions()) {
      LabelSelector.Operator op = switch (r.operator()) {
        case IN -> LabelSelector.Operator.IN;
        case NOT_IN -> LabelSelector.Operator.NOT_IN;
        case EXISTS -> LabelSelector.Operator.EXISTS;
        case DOES_NOT_EXIST -> LabelSelector.Operator.DOES_NOT_EXIST;
      };
      xs.add(new LabelSelector.Expression(prefix + r.key(), op, new HashSet<>(r.values())));
    }
    return new LabelSelector(m, xs);
  }
}
