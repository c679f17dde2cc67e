package weft.proxy.xds;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import weft.proxy.tls.PeerIdentity;

/**
 * The ADS channel's mTLS, as an Istio sidecar reaches istiod on 15012: the proxy presents its
 * workload certificate and accepts only a server whose chain verifies against the mesh root the CA
 * answered with and whose URI SAN is the control plane's SPIFFE ID in the proxy's own trust domain
 * ({@code spiffe://<td>/ns/weft-system/sa/weft-controlplane}). Host names are not checked: the
 * SPIFFE ID is the identity (as Envoy's SAN matchers), so the proxy may dial any address of the
 * control plane.
 *
 * <p>One {@link SslContext} for the channel's life; {@link #update} swaps the key, chain and root
 * underneath it, so a renewal reaches the next handshake (a reconnect) without a new channel.
 * Before the first update there is no key: the channel must not connect yet.
 */
public final class XdsTls {
  /** Where weft's control plane runs: its SPIFFE ID is {@code spiffe://<td>} + this. */
  public static final String CONTROL_PLANE_PATH = "/ns/weft-system/sa/weft-controlplane";

  private record Material(String alias, PrivateKey key, X509Certificate[] chain,
      X509TrustManager roots, String controlPlaneId) {}

  private final Keys keys = new Keys();
  private final Trust trust = new Trust();
  private final SslContext context;
  private volatile Material current;
  private volatile Material previous;
  private long generation;

  public XdsTls() {
    try {
      // "" rather than null: grpc-netty turns a null endpoint identification into HTTPS
      this.context = GrpcSslContexts.forClient().keyManager(keys).trustManager(trust)
          .endpointIdentificationAlgorithm("").build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the xDS client TLS context", e);
    }
  }

  /** The channel's context (ALPN h2, as gRPC needs). */
  public SslContext sslContext() {
    return context;
  }

  /** The SPIFFE ID the server must present, or null before the first certificate. */
  public String controlPlaneId() {
    Material m = current;
    return m == null ? null : m.controlPlaneId;
  }

  /**
   * Uses {@code issued} from the next handshake on: its key and chain as the client certificate,
   * the chain's last certificate as the trusted root.
   *
   * @return true the first time (the channel may connect now)
   * @throws IllegalArgumentException if the leaf has no SPIFFE ID
   */
  public synchronized boolean update(WorkloadIdentity.Issued issued) {
    List<X509Certificate> chain = issued.chain();
    String own = PeerIdentity.spiffeId(chain.getFirst());
    if (own == null) {
      throw new IllegalArgumentException("the workload certificate has no spiffe:// URI SAN");
    }
    String td = own.substring("spiffe://".length(), own.indexOf('/', "spiffe://".length()));
    X509TrustManager roots;
    try {
      roots = pkix(chain.getLast());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot trust the mesh root: " + e.getMessage(), e);
    }
    boolean first = current == null;
    previous = current;
    current = new Material("weft-" + (++generation), issued.key(),
        chain.toArray(new X509Certificate[0]), roots, "spiffe://" + td + CONTROL_PLANE_PATH);
    return first;
  }

  private static X509TrustManager pkix(X509Certificate root) throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    ks.setCertificateEntry("mesh-root", root);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no PKIX X509TrustManager available");
  }

  /** Presents the current certificate; the previous one stays answerable for a handshake mid-swap. */
  private final class Keys extends X509ExtendedKeyManager {
    private String alias() {
      Material m = current;
      return m == null ? null : m.alias;
    }

    private Material find(String alias) {
      Material m = current;
      if (m != null && m.alias.equals(alias)) {
        return m;
      }
      Material p = previous;
      return p != null && p.alias.equals(alias) ? p : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      String a = alias();
      return a == null ? null : new String[] {a};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return alias();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Material m = find(alias);
      return m == null ? null : m.chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Material m = find(alias);
      return m == null ? null : m.key;
    }
  }

  /** PKIX against the mesh root (no host name check), then the control plane's SPIFFE ID. */
  private final class Trust extends X509ExtendedTrustManager {
    private void verify(X509Certificate[] chain, String authType) throws CertificateException {
      Material m = current;
      if (m == null) {
        throw new CertificateException("no workload certificate yet: cannot verify the control plane");
      }
      m.roots.checkServerTrusted(chain, authType);
      String id = PeerIdentity.spiffeId(chain[0]);
      if (!m.controlPlaneId.equals(id)) {
        throw new CertificateException("xds server identity " + id + " (expected: " + m.controlPlaneId + ")");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      verify(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      verify(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      verify(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the xDS client does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the xDS client does not accept clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("the xDS client does not accept clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
