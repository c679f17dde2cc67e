package weft.controlplane.api;

import java.util.Objects;
import java.util.function.LongSupplier;
import weft.controlplane.ca.BootstrapTokens;
import weft.controlplane.ca.CertificateService;
import weft.controlplane.store.ApiSource;
import weft.controlplane.store.Store;
import weft.controlplane.xds.ProxyStatusRegistry;
import weft.policy.engine.EngineOptions;

/**
 * What the HTTP API reads and drives.
 *
 * @param policy trust domain (SPIFFE IDs) and Istio root namespace
 * @param xdsVersion the xDS server's current snapshot version
 */
public record ApiBackend(
    Store store,
    ApiSource apiSource,
    ProxyStatusRegistry proxies,
    BootstrapTokens tokens,
    CertificateService certificates,
    EngineOptions policy,
    LongSupplier xdsVersion) {
  public ApiBackend {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(apiSource, "apiSource");
    Objects.requireNonNull(proxies, "proxies");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(xdsVersion, "xdsVersion");
  }
}
