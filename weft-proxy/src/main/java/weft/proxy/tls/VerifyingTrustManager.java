package weft.proxy.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a peer chain against the validation context's {@code trusted_ca} (PKIX, no hostname
 * check: Envoy never checks the host name, SAN matchers do that job) and then its SAN matchers.
 * Throwing here fails the handshake, so a connection with a wrong peer never carries a byte of
 * application data. With no trusted CA (an upstream context without validation, as Envoy allows)
 * every chain is accepted and there are no SAN rules (compile refuses SAN rules without a CA).
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final SanVerifier sans;
  /**
   * Chains that passed PKIX recently. Mesh peers present the same certificate chain for hours, and
   * Java's PKIX validation (signature maths in Java, after BoringSSL already parsed the chain) was
   * the largest CPU cost of a new mTLS connection. SAN rules still run on every handshake.
   */
  private final VerifiedChains verified = new VerifiedChains(1024);

  private VerifyingTrustManager(X509ExtendedTrustManager pkix, SanVerifier sans) {
    this.pkix = pkix;
    this.sans = sans;
  }

  /** Trusts only {@code cas} (none: accept any chain) and then applies {@code sans}. */
  static VerifyingTrustManager create(List<X509Certificate> cas, SanVerifier sans)
      throws GeneralSecurityException {
    if (cas.isEmpty()) {
      return new VerifyingTrustManager(null, SanVerifier.NONE);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < cas.size(); i++) {
      ks.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return new VerifyingTrustManager(x, sans);
      }
    }
    throw new GeneralSecurityException("no PKIX X509ExtendedTrustManager available");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (pkix != null) {
      verified.check(chain, authType, true, () -> pkix.checkClientTrusted(chain, authType, engine));
    }
    sans.verify(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (pkix != null) {
      verified.check(chain, authType, false, () -> pkix.checkServerTrusted(chain, authType, engine));
    }
    sans.verify(chain[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (pkix != null) {
      pkix.checkClientTrusted(chain, authType, socket);
    }
    sans.verify(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (pkix != null) {
      pkix.checkServerTrusted(chain, authType, socket);
    }
    sans.verify(chain[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (pkix != null) {
      pkix.checkClientTrusted(chain, authType);
    }
    sans.verify(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (pkix != null) {
      pkix.checkServerTrusted(chain, authType);
    }
    sans.verify(chain[0]);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix == null ? new X509Certificate[0] : pkix.getAcceptedIssuers();
  }
}
