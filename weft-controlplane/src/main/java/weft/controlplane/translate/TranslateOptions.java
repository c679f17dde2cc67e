package weft.controlplane.translate;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the translator needs besides the resources.
 *
 * @param trustDomain SPIFFE trust domain, e.g. {@code cluster.local}
 * @param rootNamespace Istio's root namespace (mesh-wide PeerAuthentication), e.g. {@code istio-system}
 * @param clusterDomain the DNS suffix of service hosts, {@code cluster.local}
 * @param caBundlePem the trust bundle served as SDS secret {@code ROOTCA}
 * @param flowCollector the control plane's AccessLogService as sidecars reach it (its xDS
 *     address); empty: sidecars get no access loggers
 */
public record TranslateOptions(String trustDomain, String rootNamespace, String clusterDomain, String caBundlePem,
    Optional<InetSocketAddress> flowCollector) {
  public TranslateOptions {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(rootNamespace, "rootNamespace");
    Objects.requireNonNull(clusterDomain, "clusterDomain");
    Objects.requireNonNull(caBundlePem, "caBundlePem");
    Objects.requireNonNull(flowCollector, "flowCollector");
  }

  /** Without a flow collector. */
  public TranslateOptions(String trustDomain, String rootNamespace, String clusterDomain, String caBundlePem) {
    this(trustDomain, rootNamespace, clusterDomain, caBundlePem, Optional.empty());
  }

  /** The same options, sidecars sending flows to {@code collector}. */
  public TranslateOptions withFlowCollector(InetSocketAddress collector) {
    return new TranslateOptions(trustDomain, rootNamespace, clusterDomain, caBundlePem, Optional.of(collector));
  }
}
