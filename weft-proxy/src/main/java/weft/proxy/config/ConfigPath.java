package weft.proxy.config;

import java.util.Objects;

/**
 * The location of a field inside an Envoy config, written the way users read it:
 * {@code static_resources.clusters[2].lb_policy}. Immutable; each step returns a new path.
 * Translators carry one down the tree so that every problem names its field.
 */
public final class ConfigPath {
  private static final ConfigPath ROOT = new ConfigPath(null, "");

  private final ConfigPath parent;
  private final String segment;

  private ConfigPath(ConfigPath parent, String segment) {
    this.parent = parent;
    this.segment = segment;
  }

  /** The empty path: the document itself. */
  public static ConfigPath root() {
    return ROOT;
  }

  /** A path that starts at a named field, e.g. {@code ConfigPath.of("static_resources")}. */
  public static ConfigPath of(String field) {
    return ROOT.field(field);
  }

  public ConfigPath field(String name) {
    Objects.requireNonNull(name, "name");
    return new ConfigPath(this, this == ROOT ? name : "." + name);
  }

  public ConfigPath index(int i) {
    return new ConfigPath(this, "[" + i + "]");
  }

  /** A map entry, e.g. {@code typed_extension_protocol_options["envoy.extensions..."]}. */
  public ConfigPath key(String key) {
    return new ConfigPath(this, "[\"" + key + "\"]");
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

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigPath other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
