package weft.controlplane.ca;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's own identity on its xDS port, as istiod's on 15012: a certificate from the
 * mesh CA for {@code spiffe://<trust-domain>/ns/weft-system/sa/weft-controlplane} with DNS and IP
 * SANs of the addresses proxies dial, renewed at half-life with a new key like workload
 * certificates. TLS contexts built on {@link #keyManager()} pick up a renewal on their next
 * handshake; established streams keep theirs.
 *
 * <p>Clients are verified with {@link #clientTrust()}: PKIX against the mesh trust bundle only (not
 * the JDK's public roots). Which client may ask for what is the xDS server's business (node
 * authorization), not this class's.
 */
public final class ServingCertificate implements AutoCloseable {
  public static final String NAMESPACE = "weft-system";
  public static final String SERVICE_ACCOUNT = "weft-controlplane";
  private static final Logger log = LoggerFactory.getLogger(ServingCertificate.class);

  private final CertificateAuthority ca;
  private final String spiffeId;
  private final List<InetAddress> ips;
  private final List<String> dnsNames;
  private final Duration ttl;
  private final Clock clock;
  private final RotatingKeyManager keys = new RotatingKeyManager();
  private final X509TrustManager trust;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "weft-serving-cert");
    t.setDaemon(true);
    return t;
  });
  private volatile CertificateAuthority.ServingMaterial current;

  private ServingCertificate(CertificateAuthority ca, String trustDomain, List<InetAddress> ips,
      List<String> dnsNames, Duration ttl, Clock clock) throws GeneralSecurityException {
    this.ca = ca;
    this.spiffeId = spiffeId(trustDomain);
    this.ips = List.copyOf(ips);
    this.dnsNames = List.copyOf(dnsNames);
    this.ttl = ttl;
    this.clock = clock;
    this.trust = pkix(ca.trustBundle());
  }

  /** The control plane's SPIFFE ID in {@code trustDomain}: what proxies verify. */
  public static String spiffeId(String trustDomain) {
    return "spiffe://" + trustDomain + "/ns/" + NAMESPACE + "/sa/" + SERVICE_ACCOUNT;
  }

  /**
   * Issues the first certificate now and schedules renewals.
   *
   * @param ips IP SANs (the bind and advertised addresses)
   * @param dnsNames DNS SANs
   */
  public static ServingCertificate start(CertificateAuthority ca, String trustDomain,
      List<InetAddress> ips, List<String> dnsNames, Duration ttl, Clock clock) {
    ServingCertificate s;
    try {
      s = new ServingCertificate(ca, trustDomain, ips, dnsNames, ttl, clock);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust manager for the mesh trust bundle", e);
    }
    s.renew();
    return s;
  }

  /** Issues a new key and certificate now and schedules the next renewal at its half-life. */
  public void renew() {
    CertificateAuthority.ServingMaterial m = ca.issueServing(spiffeId, ips, dnsNames, ttl);
    keys.set(m.key(), m.chain());
    current = m;
    X509Certificate leaf = m.leaf();
    Instant half = leaf.getNotBefore().toInstant().plus(
        Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).dividedBy(2));
    long delay = Math.max(1000, Duration.between(clock.instant(), half).toMillis());
    log.info("control plane serving certificate {} valid until {}; renewing in {} s", spiffeId,
        leaf.getNotAfter().toInstant(), delay / 1000);
    try {
      timer.schedule(this::renewQuietly, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      // the current certificate is still valid for half its life: retry well before it ends
      log.error("renewing the control plane's serving certificate failed; retrying in 60 s", e);
      timer.schedule(this::renewQuietly, 60, TimeUnit.SECONDS);
    }
  }

  public String spiffeId() {
    return spiffeId;
  }

  /** The key and chain in force now. */
  public CertificateAuthority.ServingMaterial current() {
    return current;
  }

  /** Serves the current certificate; follows renewals. */
  public X509ExtendedKeyManager keyManager() {
    return keys;
  }

  /** Verifies client certificate chains against the mesh trust bundle. */
  public X509TrustManager clientTrust() {
    return trust;
  }

  /** The mesh trust bundle (what proxies are told to trust). */
  public List<X509Certificate> trustBundle() {
    return ca.trustBundle();
  }

  static X509TrustManager pkix(List<X509Certificate> roots) throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < roots.size(); i++) {
      ks.setCertificateEntry("root-" + i, roots.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no PKIX X509TrustManager available");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
