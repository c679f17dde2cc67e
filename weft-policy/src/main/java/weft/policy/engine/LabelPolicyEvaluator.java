package weft.policy.engine;

import weft.policy.identity.ReservedIdentity;
import weft.policy.model.Direction;
import weft.policy.model.HttpRequest;
import weft.policy.model.KafkaApiKeys;
import weft.policy.model.KafkaRequest;
import weft.policy.model.L7Rules;

/**
 * Looks a flow up in one workload's compiled Kubernetes or Cilium policy map for one direction:
 * denies first, then isolation, then allows, then the L7 rules of the matching allows. With
 * {@code explain} false it builds no strings and allocates nothing but the returned decision (the
 * data path); trace calls it with {@code explain} true and gets the same decision, explained.
 */
final class LabelPolicyEvaluator {
  private LabelPolicyEvaluator() {}

  /**
   * {@code subject}: the workload whose policy is consulted; {@code peer}: the other end;
   * {@code destination}: the flow's destination (named ports resolve against it).
   */
  static Decision decide(
      DirectionPolicy dp,
      Direction d,
      Party subject,
      Party peer,
      Party destination,
      Flow flow,
      int peerIndex,
      boolean explain) {
    if (!dp.selected) {
      return explain
          ? Decision.notSelected("no policy selects " + subject.describe() + (d == Direction.INGRESS ? "" : " for egress") + ": default allow")
          : Decision.NOT_SELECTED;
    }
    boolean world = peer.isWorld();
    for (MapEntry e : dp.denyArray) {
      if (e.matchesPort(flow.protocol(), flow.port(), destination) && e.peers().contains(peerIndex, peer, world)) {
        return explain
            ? Decision.deny(DenyMode.DROP, e.rule(), where(d, subject) + ": denied by a deny rule, which wins over every allow")
            : Decision.DENY_DROP;
      }
    }
    if (dp.defaultDeny() == null) {
      return explain
          ? Decision.allow("", where(d, subject) + ": not in default deny (" + dp.selectedBy().get(0) + " does not isolate it)")
          : Decision.ALLOW;
    }
    if (d == Direction.INGRESS && peer.node() != null && peer.reservedAsSeenFrom(subject) == ReservedIdentity.HOST) {
      return explain ? Decision.allow("", where(d, subject) + ": traffic from the workload's own node is always allowed") : Decision.ALLOW;
    }
    MapEntry firstL7 = null;
    for (MapEntry e : dp.allowArray) {
      if (e.matchesPort(flow.protocol(), flow.port(), destination) && e.peers().contains(peerIndex, peer, world)) {
        if (e.l7() instanceof L7Rules.None) {
          return explain ? Decision.allow(e.rule(), where(d, subject) + ": allowed at L3/L4") : Decision.ALLOW;
        }
        if (firstL7 == null) firstL7 = e;
      }
    }
    if (firstL7 == null) {
      if (!explain) return Decision.DENY_DROP;
      String what = flow.protocol() + "/" + flow.port() + " from " + (d == Direction.INGRESS ? peer.describe() : subject.describe())
          + " to " + (d == Direction.INGRESS ? subject.describe() : peer.describe());
      return Decision.deny(DenyMode.DROP, dp.defaultDeny().toString(),
          where(d, subject) + ": default deny (isolated by " + dp.defaultDeny() + ") and no rule allows " + what);
    }
    return decideL7(dp, d, subject, peer, destination, flow, peerIndex, firstL7, explain);
  }

  private static String where(Direction d, Party subject) {
    return (d == Direction.INGRESS ? "ingress to " : "egress from ") + subject.describe();
  }

  /** Every matching allow has L7 rules: the request must match one of them (union). */
  private static Decision decideL7(DirectionPolicy dp, Direction d, Party subject, Party peer, Party destination,
      Flow flow, int peerIndex, MapEntry first, boolean explain) {
    boolean world = peer.isWorld();
    boolean http = false;
    boolean kafka = false;
    for (MapEntry e : dp.allowArray) {
      if (e.matchesPort(flow.protocol(), flow.port(), destination) && e.peers().contains(peerIndex, peer, world)) {
        http |= e.l7() instanceof L7Rules.Http;
        kafka |= e.l7() instanceof L7Rules.Kafka;
      }
    }
    if (flow.http().isEmpty() && flow.kafka().isEmpty()) {
      return explain
          ? Decision.allow(first.rule(), where(d, subject) + ": connection allowed at L4; every request is checked against L7 rules")
          : Decision.ALLOW;
    }
    if (flow.http().isPresent()) {
      if (!http) {
        return explain ? Decision.deny(DenyMode.DROP, first.rule(), where(d, subject) + ": HTTP request on a port with Kafka rules only") : Decision.DENY_DROP;
      }
      HttpRequest r = flow.http().get();
      for (MapEntry e : dp.allowArray) {
        if (e.l7() instanceof L7Rules.Http h && e.matchesPort(flow.protocol(), flow.port(), destination)
            && e.peers().contains(peerIndex, peer, world)) {
          for (L7Rules.HttpRule rule : h.rules()) {
            if (rule.matches(r)) {
              return explain ? Decision.allow(e.ref().rule(rule.path()), where(d, subject) + ": HTTP rule matches " + r.method() + " " + r.path()) : Decision.ALLOW;
            }
          }
        }
      }
      return explain
          ? Decision.deny(DenyMode.HTTP_403, first.rule(), where(d, subject) + ": no HTTP rule matches " + r.method() + " " + r.path() + " host " + r.host())
          : Decision.DENY_HTTP_403;
    }
    if (!kafka) {
      return explain ? Decision.deny(DenyMode.DROP, first.rule(), where(d, subject) + ": Kafka request on a port with HTTP rules only") : Decision.DENY_DROP;
    }
    KafkaRequest r = flow.kafka().get();
    for (MapEntry e : dp.allowArray) {
      if (e.l7() instanceof L7Rules.Kafka k && e.matchesPort(flow.protocol(), flow.port(), destination)
          && e.peers().contains(peerIndex, peer, world)) {
        for (L7Rules.KafkaRule rule : k.rules()) {
          if (rule.matches(r)) {
            return explain ? Decision.allow(e.ref().rule(rule.path()), where(d, subject) + ": Kafka rule matches") : Decision.ALLOW;
          }
        }
      }
    }
    return explain
        ? Decision.deny(DenyMode.KAFKA_ERROR, first.rule(), where(d, subject) + ": no Kafka rule matches apiKey "
            + KafkaApiKeys.name(r.apiKey()) + r.topic().map(t -> " topic " + t).orElse(""))
        : Decision.DENY_KAFKA_ERROR;
  }
}
