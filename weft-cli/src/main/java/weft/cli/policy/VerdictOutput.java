package weft.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import weft.policy.engine.Verdict;

/** Prints a verdict for people or as the JSON the issue specifies. */
final class VerdictOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerdictOutput() {}

  static String json(Verdict v) {
    ObjectNode root = JSON.createObjectNode();
    root.put("verdict", v.allowed() ? "ALLOW" : "DENY");
    ArrayNode ds = root.putArray("dialects");
    for (Verdict.DialectVerdict d : v.dialects()) {
      ObjectNode o = ds.addObject();
      o.put("dialect", d.dialect().id());
      o.put("verdict", d.allowed() ? "ALLOW" : "DENY");
      o.put("rule", d.rule());
      o.put("reason", d.reason());
    }
    return root.toString();
  }

  static String text(Verdict v) {
    StringBuilder sb = new StringBuilder(v.allowed() ? "ALLOW" : "DENY");
    v.denyMode().ifPresent(m -> sb.append(" (").append(m.id()).append(')'));
    sb.append('\n');
    for (Verdict.DialectVerdict d : v.dialects()) {
      sb.append("  ").append(d.dialect().id()).append(": ").append(d.allowed() ? "ALLOW" : "DENY");
      d.denyMode().ifPresent(m -> sb.append(" (").append(m.id()).append(')'));
      sb.append('\n').append("    rule:   ").append(d.rule().isEmpty() ? "-" : d.rule()).append('\n');
      sb.append("    reason: ").append(d.reason()).append('\n');
    }
    return sb.toString();
  }

  /** One line: {@code DENY (http-403): cilium DENY by RULE: reason; istio ...} (denying dialects only). */
  static String oneLine(Verdict v) {
    StringBuilder sb = new StringBuilder(v.allowed() ? "ALLOW" : "DENY");
    v.denyMode().ifPresent(m -> sb.append(" (").append(m.id()).append(')'));
    for (Verdict.DialectVerdict d : v.dialects()) {
      if (v.allowed() || !d.allowed()) {
        sb.append(" | ").append(d.dialect().id()).append(' ').append(d.allowed() ? "ALLOW" : "DENY")
            .append(" by ").append(d.rule()).append(": ").append(d.reason());
      }
    }
    return sb.toString();
  }
}
