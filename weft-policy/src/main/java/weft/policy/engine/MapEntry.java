package weft.policy.engine;

import weft.policy.model.L7Rules;
import weft.policy.model.PolicyRef;
import weft.policy.model.Protocol;

/**
 * One entry of a compiled policy map: {@code (protocol, port range | named port, peers) ->
 * (allow|deny, L7 rules, derivedFrom)}. {@code protocol} null means every protocol (a rule without
 * ports); {@code namedPort} non-null is resolved against the flow's destination workload.
 */
public record MapEntry(
    boolean deny,
    Protocol protocol,
    int first,
    int last,
    String namedPort,
    PeerSet peers,
    L7Rules l7,
    PolicyRef ref,
    String path) {

  boolean matchesPort(Protocol flowProtocol, int port, Party destination) {
    if (protocol == null) return true;
    if (!protocol.covers(flowProtocol)) return false;
    if (namedPort == null) return port >= first && port <= last;
    return destination.workload() != null
        && destination.workload().namedPort(namedPort, flowProtocol) == port;
  }

  public String rule() {
    return ref.rule(path);
  }
}
