package weft.policy.model;

import java.util.Locale;

/**
 * Istio's string match: exact, {@code prefix*}, {@code *suffix}, or {@code *} (any non-empty
 * value). Hosts match case-insensitively.
 */
public record IstioString(Kind kind, String text, boolean ignoreCase) {
  public enum Kind {
    EXACT,
    PREFIX,
    SUFFIX,
    PRESENCE
  }

  public static IstioString parse(String s, boolean ignoreCase) {
    String t = ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    if (t.equals("*")) return new IstioString(Kind.PRESENCE, "", ignoreCase);
    if (t.endsWith("*")) return new IstioString(Kind.PREFIX, t.substring(0, t.length() - 1), ignoreCase);
    if (t.startsWith("*")) return new IstioString(Kind.SUFFIX, t.substring(1), ignoreCase);
    return new IstioString(Kind.EXACT, t, ignoreCase);
  }

  public boolean matches(String value) {
    if (value == null) return false;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    return switch (kind) {
      case EXACT -> v.equals(text);
      case PREFIX -> v.startsWith(text);
      case SUFFIX -> v.endsWith(text);
      case PRESENCE -> !v.isEmpty();
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EXACT -> text;
      case PREFIX -> text + "*";
      case SUFFIX -> "*" + text;
      case PRESENCE -> "*";
    };
  }
}
