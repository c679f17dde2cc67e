package weft.api.istio;

import java.util.List;

/**
 * One AuthorizationPolicy {@code rules[]} entry. A request matches when it matches any source in
 * {@code from} (or {@code from} is empty), any operation in {@code to} (or {@code to} is empty), and
 * every condition in {@code when}.
 *
 * @param from the {@code source} of each {@code from[]} entry
 * @param to the {@code operation} of each {@code to[]} entry
 * @param when conditions, ANDed
 */
public record AuthorizationRule(List<Source> from, List<Operation> to, List<Condition> when) {
  public AuthorizationRule {
    from = List.copyOf(from);
    to = List.copyOf(to);
    when = List.copyOf(when);
  }
}
