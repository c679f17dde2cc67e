/**
 * weft's certificate authority: SPIFFE X.509-SVIDs for workloads, bootstrap tokens that prove which
 * workload a proxy is. The CA key never leaves {@link weft.controlplane.ca.CertificateAuthority};
 * workload keys never reach the control plane (proxies send CSRs).
 *
 * <p>Files:
 *
 * <ul>
 *   <li>{@link weft.controlplane.ca.CertificateAuthority}: root generated and persisted under
 *       {@code <data-dir>/ca/} or loaded from PEM; {@code sign(csrPem, spiffeId, ttl) -> chain PEM}
 *   <li>{@code LeafIssuer}: CSR checks and the leaf's profile; {@code SpiffeId}: ID syntax
 *   <li>{@link weft.controlplane.ca.BootstrapTokens}: hashed token store, per-workload token files
 *   <li>{@link weft.controlplane.ca.CertificateService}: {@code issue(token, csrPem)}, the API's
 *       certificate endpoint
 *   <li>{@link weft.controlplane.ca.IssuanceException}: refusals with a reason the API maps to a
 *       status
 *   <li>{@link weft.controlplane.ca.ServingCertificate}: the control plane's own certificate on the
 *       xDS port ({@code spiffe://<td>/ns/weft-system/sa/weft-controlplane} + IP/DNS SANs), renewed
 *       at half-life behind {@code RotatingKeyManager}; the client trust manager (mesh bundle only)
 *   <li>{@code Pem}, {@code SecretFiles}: PEM codec; owner-only, atomic file writes
 * </ul>
 */
package weft.controlplane.ca;
