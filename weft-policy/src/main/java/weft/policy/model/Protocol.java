package weft.policy.model;

import java.util.Locale;
import java.util.Optional;

/**
 * L4 protocol of a flow or a port rule. {@code ANY} appears only in rules: Cilium's ANY covers TCP,
 * UDP and SCTP but not ICMP.
 */
public enum Protocol {
  TCP,
  UDP,
  SCTP,
  ICMP,
  ANY;

  /** Whether a rule written for {@code this} protocol covers a flow of protocol {@code flow}. */
  public boolean covers(Protocol flow) {
    return this == flow || (this == ANY && flow != ICMP);
  }

  public static Optional<Protocol> parse(String s) {
    return switch (s.toUpperCase(Locale.ROOT)) {
      case "TCP" -> Optional.of(TCP);
      case "UDP" -> Optional.of(UDP);
      case "SCTP" -> Optional.of(SCTP);
      case "ICMP", "ICMPV6" -> Optional.of(ICMP);
      case "ANY" -> Optional.of(ANY);
      default -> Optional.empty();
    };
  }
}
