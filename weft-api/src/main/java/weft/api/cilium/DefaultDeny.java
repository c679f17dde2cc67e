package weft.api.cilium;

import java.util.Objects;
import java.util.Optional;

/**
 * Cilium's {@code enableDefaultDeny}. Empty means Cilium's default: a rule that has rules in a
 * direction puts the selected endpoints into default deny in that direction; {@code false} makes
 * the rule only add allows (and denies) without isolating.
 */
public record DefaultDeny(Optional<Boolean> ingress, Optional<Boolean> egress) {
  public static final DefaultDeny UNSET = new DefaultDeny(Optional.empty(), Optional.empty());

  public DefaultDeny {
    Objects.requireNonNull(ingress, "ingress");
    Objects.requireNonNull(egress, "egress");
  }
}
