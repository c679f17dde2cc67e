package weft.api.load;

/**
 * Where a field is inside a document, written as users read it: {@code
 * spec.ingress[0].toPorts[0].rules.http[1].path}. Immutable; each step returns a new path.
 */
final class FieldPath {
  static final FieldPath ROOT = new FieldPath(null, "");

  private final FieldPath parent;
  private final String segment;

  private FieldPath(FieldPath parent, String segment) {
    this.parent = parent;
    this.segment = segment;
  }

  FieldPath field(String name) {
    return new FieldPath(this, this == ROOT ? name : "." + name);
  }

  FieldPath index(int i) {
    return new FieldPath(this, "[" + i + "]");
  }

  /** A map key; keys that are not plain identifiers are quoted. */
  FieldPath key(String key) {
    boolean plain = !key.isEmpty() && key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    return new FieldPath(this, plain ? "." + key : "[\"" + key + "\"]");
  }

  boolean isRoot() {
    return this == ROOT;
  }

  @Override
  public String toString() {
    if (parent == null) {
      return segment;
    }
    StringBuilder sb = new StringBuilder();
    append(sb);
    return sb.toString();
  }

  private void append(StringBuilder sb) {
    if (parent != null) {
      parent.append(sb);
    }
    sb.append(segment);
  }
}
