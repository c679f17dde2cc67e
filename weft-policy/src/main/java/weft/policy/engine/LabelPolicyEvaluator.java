package weft.policy.engine;

import java.util.ArrayList;
import java.util.List;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.HttpRequest;
import weft.policy.model.KafkaRequest;
import weft.policy.model.L7Rules;

/**
 * Looks a flow up in one workload's compiled Kubernetes or Cilium policy map for one direction:
 * denies first, then isolation, then allows, then the L7 rules of the matching allows.
 */
final class LabelPolicyEvaluator {
  private LabelPolicyEvaluator() {}

  /**
   * {@code subject}: the workload whose policy is consulted; {@code peer}: the other end;
   * {@code destination}: the flow's destination (named ports resolve against it).
   */
  static Decision decide(
      Dialect dialect,
      DirectionPolicy dp,
      Direction d,
      Party subject,
      Party peer,
      Party destination,
      Flow flow,
      int peerIndex) {
    String where = (d == Direction.INGRESS ? "ingress to " : "egress from ") + subject.describe();
    if (!dp.selected()) {
      return Decision.notSelected("no policy selects " + subject.describe() + (d == Direction.INGRESS ? "" : " for egress") + ": default allow");
    }
    boolean world = peer.isWorld();
    for (MapEntry e : dp.denies()) {
      if (e.matchesPort(flow.protocol(), flow.port(), destination)
          && e.peers().contains(peerIndex, peer, world)) {
        return Decision.deny(DenyMode.DROP, e.rule(), where + ": denied by a deny rule, which wins over every allow");
      }
    }
    if (dp.defaultDeny() == null) {
      return Decision.allow("", where + ": not in default deny (" + dp.selectedBy().get(0) + " does not isolate it)");
    }
    if (d == Direction.INGRESS && peer.node() != null && peer.reservedAsSeenFrom(subject) == weft.policy.identity.ReservedIdentity.HOST) {
      return Decision.allow("", where + ": traffic from the workload's own node is always allowed");
    }
    MapEntry l4Only = null;
    List<MapEntry> l7 = new ArrayList<>();
    for (MapEntry e : dp.allows()) {
      if (e.matchesPort(flow.protocol(), flow.port(), destination)
          && e.peers().contains(peerIndex, peer, world)) {
        if (e.l7() instanceof L7Rules.None) {
          l4Only = e;
          break;
        }
        l7.add(e);
      }
    }
    if (l4Only != null) return Decision.allow(l4Only.rule(), where + ": allowed at L3/L4");
    String what = flow.protocol() + "/" + flow.port() + " from " + (d == Direction.INGRESS ? peer.describe() : subject.describe())
        + " to " + (d == Direction.INGRESS ? subject.describe() : peer.describe());
    if (l7.isEmpty()) {
      return Decision.deny(DenyMode.DROP, dp.defaultDeny().toString(),
          where + ": default deny (isolated by " + dp.defaultDeny() + ") and no rule allows " + what);
    }
    return decideL7(where, l7, flow);
  }

  private static Decision decideL7(String where, List<MapEntry> entries, Flow flow) {
    boolean http = false;
    boolean kafka = false;
    for (MapEntry e : entries) {
      http |= e.l7() instanceof L7Rules.Http;
      kafka |= e.l7() instanceof L7Rules.Kafka;
    }
    String first = entries.get(0).rule();
    if (flow.http().isEmpty() && flow.kafka().isEmpty()) {
      return Decision.allow(first, where + ": connection allowed at L4; every request is checked against L7 rules");
    }
    if (flow.http().isPresent()) {
      if (!http) return Decision.deny(DenyMode.DROP, first, where + ": HTTP request on a port with Kafka rules only");
      HttpRequest r = flow.http().get();
      for (MapEntry e : entries) {
        if (e.l7() instanceof L7Rules.Http h) {
          for (L7Rules.HttpRule rule : h.rules()) {
            if (rule.matches(r)) return Decision.allow(e.ref().rule(rule.path()), where + ": HTTP rule matches " + r.method() + " " + r.path());
          }
        }
      }
      return Decision.deny(DenyMode.HTTP_403, first, where + ": no HTTP rule matches " + r.method() + " " + r.path() + " host " + r.host());
    }
    if (!kafka) return Decision.deny(DenyMode.DROP, first, where + ": Kafka request on a port with HTTP rules only");
    KafkaRequest r = flow.kafka().get();
    for (MapEntry e : entries) {
      if (e.l7() instanceof L7Rules.Kafka k) {
        for (L7Rules.KafkaRule rule : k.rules()) {
          if (rule.matches(r)) return Decision.allow(e.ref().rule(rule.path()), where + ": Kafka rule matches");
        }
      }
    }
    return Decision.deny(DenyMode.KAFKA_ERROR, first, where + ": no Kafka rule matches apiKey "
        + weft.policy.model.KafkaApiKeys.name(r.apiKey()) + r.topic().map(t -> " topic " + t).orElse(""));
  }
}
