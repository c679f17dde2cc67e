package weft.policy.engine;

import java.util.List;
import weft.policy.model.PolicyRef;

/**
 * One dialect's compiled policy for one workload and direction. {@code selectedBy}: the policies
 * selecting the workload that have rules or isolation in this direction; {@code defaultDeny}: the
 * first policy that isolates it, or null.
 */
public record DirectionPolicy(
    List<PolicyRef> selectedBy, PolicyRef defaultDeny, List<MapEntry> denies, List<MapEntry> allows) {
  public DirectionPolicy {
    selectedBy = List.copyOf(selectedBy);
    denies = List.copyOf(denies);
    allows = List.copyOf(allows);
  }

  static final DirectionPolicy NONE = new DirectionPolicy(List.of(), null, List.of(), List.of());

  public boolean selected() {
    return !selectedBy.isEmpty();
  }
}
