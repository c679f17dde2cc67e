package weft.controlplane.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.LongSupplier;
import weft.controlplane.ca.BootstrapTokens;
import weft.controlplane.ca.CertificateService;
import weft.controlplane.flows.AccessLogCollector;
import weft.controlplane.flows.FlowStore;
import weft.controlplane.store.ApiSource;
import weft.controlplane.store.Store;
import weft.controlplane.xds.ProxyStatusRegistry;
import weft.policy.engine.EngineOptions;

/**
 * What the HTTP API reads and drives.
 *
 * @param policy trust domain (SPIFFE IDs) and Istio root namespace
 * @param xdsVersion the xDS server's current snapshot version
 * @param translationProblems what the last translation could not turn into proxy configuration
 * @param flows the flow records proxies reported
 * @param collector the access log service that fills {@code flows}
 */
public record ApiBackend(
    Store store,
    ApiSource apiSource,
    ProxyStatusRegistry proxies,
    BootstrapTokens tokens,
    CertificateService certificates,
    EngineOptions policy,
    LongSupplier xdsVersion,
    Supplier<List<String>> translationProblems,
    FlowStore flows,
    AccessLogCollector collector) {
  public ApiBackend {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(apiSource, "apiSource");
    Objects.requireNonNull(proxies, "proxies");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(xdsVersion, "xdsVersion");
    Objects.requireNonNull(translationProblems, "translationProblems");
    Objects.requireNonNull(flows, "flows");
    Objects.requireNonNull(collector, "collector");
  }
}
