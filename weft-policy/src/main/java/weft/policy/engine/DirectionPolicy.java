package weft.policy.engine;

import java.util.List;
import weft.policy.model.PolicyRef;

/**
 * One dialect's compiled policy map for one workload and direction. {@code selectedBy}: the
 * policies selecting the workload that have rules or isolation in this direction; {@code
 * defaultDeny}: the first policy that isolates it, or null. Entries are also kept as arrays: the
 * data path walks them without iterators.
 */
public final class DirectionPolicy {
  static final DirectionPolicy NONE = new DirectionPolicy(List.of(), null, List.of(), List.of());

  private final List<PolicyRef> selectedBy;
  private final PolicyRef defaultDeny;
  private final List<MapEntry> denies;
  private final List<MapEntry> allows;
  final boolean selected;
  final MapEntry[] denyArray;
  final MapEntry[] allowArray;

  DirectionPolicy(List<PolicyRef> selectedBy, PolicyRef defaultDeny, List<MapEntry> denies, List<MapEntry> allows) {
    this.selectedBy = List.copyOf(selectedBy);
    this.defaultDeny = defaultDeny;
    this.denies = List.copyOf(denies);
    this.allows = List.copyOf(allows);
    this.selected = !selectedBy.isEmpty();
    this.denyArray = denies.toArray(MapEntry[]::new);
    this.allowArray = allows.toArray(MapEntry[]::new);
  }

  public List<PolicyRef> selectedBy() {
    return selectedBy;
  }

  /** The policy that put the workload into default deny in this direction, or null. */
  public PolicyRef defaultDeny() {
    return defaultDeny;
  }

  public List<MapEntry> denies() {
    return denies;
  }

  public List<MapEntry> allows() {
    return allows;
  }

  public boolean selected() {
    return selected;
  }
}
