package weft.controlplane.ca;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code POST /api/v1/certificates} does: a proxy sends its bootstrap token and a CSR for a key
 * it keeps, and gets back its X.509-SVID chain. The identity comes from the token only (through the
 * workload's service account), never from the CSR.
 */
public final class CertificateService {
  private static final Logger log = LoggerFactory.getLogger(CertificateService.class);

  private final CertificateAuthority ca;
  private final BootstrapTokens tokens;
  private final Function<String, Optional<String>> spiffeIdOfWorkload;
  private final Duration ttl;

  /**
   * @param spiffeIdOfWorkload {@code ns/name} to the SPIFFE ID of the workload's service account
   *     ({@code spiffe://<td>/ns/<ns>/sa/<sa>}), empty if the workload is not known
   */
  public CertificateService(CertificateAuthority ca, BootstrapTokens tokens,
      Function<String, Optional<String>> spiffeIdOfWorkload, Duration ttl) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.spiffeIdOfWorkload = Objects.requireNonNull(spiffeIdOfWorkload, "spiffeIdOfWorkload");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  public CertificateService(CertificateAuthority ca, BootstrapTokens tokens,
      Function<String, Optional<String>> spiffeIdOfWorkload) {
    this(ca, tokens, spiffeIdOfWorkload, CertificateAuthority.DEFAULT_TTL);
  }

  /**
   * The PEM chain (leaf first) for the workload the token names.
   *
   * @throws IssuanceException with {@link IssuanceException.Reason#INVALID_TOKEN}, {@code
   *     UNKNOWN_WORKLOAD} or {@code INVALID_CSR}
   */
  public String issue(String token, String csrPem) {
    String workload = tokens.verify(token).orElseThrow(() -> new IssuanceException(
        IssuanceException.Reason.INVALID_TOKEN, "bootstrap token not valid"));
    String spiffeId = spiffeIdOfWorkload.apply(workload).orElseThrow(() -> new IssuanceException(
        IssuanceException.Reason.UNKNOWN_WORKLOAD, "workload " + workload + " has no identity"));
    String chain = ca.sign(csrPem, spiffeId, ttl);
    log.info("issued a certificate for {} ({}), valid {}", workload, spiffeId, ttl);
    return chain;
  }

  /** The trust bundle proxies verify peers against (the {@code ROOTCA} SDS secret). */
  public String trustBundlePem() {
    return ca.trustBundlePem();
  }
}
