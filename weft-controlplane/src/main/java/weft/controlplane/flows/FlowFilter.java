package weft.controlplane.flows;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which flows a query or a follower wants. {@code from} and {@code to} are {@code NS/NAME} (or
 * just {@code NS} for a whole namespace): {@code from} matches the source workload, {@code to} the
 * destination workload or service.
 */
public record FlowFilter(
    Optional<String> from,
    Optional<String> to,
    Optional<FlowRecord.Verdict> verdict,
    Optional<Instant> since) implements Predicate<FlowRecord> {

  public static final FlowFilter ALL = new FlowFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public FlowFilter {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(since, "since");
  }

  @Override
  public boolean test(FlowRecord r) {
    if (since.isPresent() && r.time().isBefore(since.get())) {
      return false;
    }
    if (verdict.isPresent() && r.verdict() != verdict.get()) {
      return false;
    }
    if (from.isPresent() && !matches(from.get(), r.source().namespace(), r.source().workload())) {
      return false;
    }
    if (to.isPresent()) {
      FlowRecord.Destination d = r.destination();
      return matches(to.get(), d.namespace(), d.workload()) || matches(to.get(), d.namespace(), d.service());
    }
    return true;
  }

  private static boolean matches(String want, String namespace, String name) {
    if (namespace == null) {
      return false;
    }
    return want.indexOf('/') < 0 ? want.equals(namespace) : name != null && want.equals(namespace + "/" + name);
  }
}
