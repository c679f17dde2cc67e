package weft.api.istio;

import java.util.List;
import weft.api.meta.Cidr;

/**
 * {@code rules[].from[].source}: every non-empty field must match (AND); within a field, any value
 * (OR); a {@code not*} field matches when no value matches. String values use Istio's matching:
 * exact, {@code prefix*}, {@code *suffix} or {@code *}.
 *
 * @param principals peer identities from mTLS, e.g. {@code cluster.local/ns/default/sa/tweet}
 * @param requestPrincipals {@code iss/sub} of the request's JWT
 * @param namespaces the peer's namespace (from its mTLS identity)
 * @param ipBlocks the peer's address (the connection's source IP)
 * @param remoteIpBlocks the original client address (after X-Forwarded-For processing)
 */
public record Source(
    List<String> principals,
    List<String> notPrincipals,
    List<String> requestPrincipals,
    List<String> notRequestPrincipals,
    List<String> namespaces,
    List<String> notNamespaces,
    List<Cidr> ipBlocks,
    List<Cidr> notIpBlocks,
    List<Cidr> remoteIpBlocks,
    List<Cidr> notRemoteIpBlocks) {
  public Source {
    principals = List.copyOf(principals);
    notPrincipals = List.copyOf(notPrincipals);
    requestPrincipals = List.copyOf(requestPrincipals);
    notRequestPrincipals = List.copyOf(notRequestPrincipals);
    namespaces = List.copyOf(namespaces);
    notNamespaces = List.copyOf(notNamespaces);
    ipBlocks = List.copyOf(ipBlocks);
    notIpBlocks = List.copyOf(notIpBlocks);
    remoteIpBlocks = List.copyOf(remoteIpBlocks);
    notRemoteIpBlocks = List.copyOf(notRemoteIpBlocks);
  }

  /** True if at least one field is set (Istio refuses an empty source). */
  public boolean hasAnyField() {
    return !(principals.isEmpty() && notPrincipals.isEmpty() && requestPrincipals.isEmpty()
        && notRequestPrincipals.isEmpty() && namespaces.isEmpty() && notNamespaces.isEmpty()
        && ipBlocks.isEmpty() && notIpBlocks.isEmpty() && remoteIpBlocks.isEmpty()
        && notRemoteIpBlocks.isEmpty());
  }
}
