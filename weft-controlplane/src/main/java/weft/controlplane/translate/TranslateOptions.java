package weft.controlplane.translate;

import java.util.Objects;

/**
 * What the translator needs besides the resources.
 *
 * @param trustDomain SPIFFE trust domain, e.g. {@code cluster.local}
 * @param rootNamespace Istio's root namespace (mesh-wide PeerAuthentication), e.g. {@code istio-system}
 * @param clusterDomain the DNS suffix of service hosts, {@code cluster.local}
 * @param caBundlePem the trust bundle served as SDS secret {@code ROOTCA}
 */
public record TranslateOptions(String trustDomain, String rootNamespace, String clusterDomain, String caBundlePem) {
  public TranslateOptions {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(rootNamespace, "rootNamespace");
    Objects.requireNonNull(clusterDomain, "clusterDomain");
    Objects.requireNonNull(caBundlePem, "caBundlePem");
  }
}
